"""Saved pages in: files, folders (recursive) and globs of .html/.htm/.txt/.warc/.warc.gz.

Each page is yielded as a `SavedPage` holding its bytes; a file is read only up to the size
limit (plus one byte, to tell that it is over), so a stray multi-gigabyte file costs no memory.
WARC files are streamed record by record with warcio.
"""
from __future__ import annotations

import glob
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt")
WARC_SUFFIXES = (".warc", ".warc.gz")
_PAGE_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class SavedPage:
    data: bytes
    source_path: str
    url: str | None = None
    http_charset: str | None = None
    http_status: int | None = None
    fetched_at: datetime | None = None
    error: str | None = None  # set when the input itself could not be read


def is_input_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(PAGE_SUFFIXES) or name.endswith(WARC_SUFFIXES)


def expand(paths: Iterable[str]) -> Iterator[Path]:
    """Files named, files under folders (sorted, recursive) and glob matches; each once."""
    seen: set[Path] = set()
    for raw in paths:
        matches = [Path(p) for p in sorted(glob.glob(raw, recursive=True))] if glob.has_magic(raw) else [Path(raw)]
        for match in matches:
            candidates = (sorted(p for p in match.rglob("*") if p.is_file() and is_input_file(p))
                          if match.is_dir() else [match])
            for path in candidates:
                key = path.resolve()
                if key not in seen:
                    seen.add(key)
                    yield path


def _read_limited(path: Path, limit: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(limit + 1)


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _warc_pages(path: Path, limit: int) -> Iterator[SavedPage]:
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type not in ("response", "resource"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            status, content_type = None, None
            if record.http_headers is not None:
                status = int(record.http_headers.get_statuscode() or 0) or None
                content_type = record.http_headers.get_header("Content-Type")
            else:
                content_type = record.rec_headers.get_header("Content-Type")
            if content_type and not content_type.lower().startswith(_PAGE_CONTENT_TYPES):
                continue  # images, scripts, style sheets: not pages
            date = record.rec_headers.get_header("WARC-Date")
            yield SavedPage(
                data=record.content_stream().read(limit + 1),
                source_path=f"{path}#{record_id}",
                url=uri,
                http_charset=_charset_of(content_type),
                http_status=status,
                fetched_at=datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None,
            )


def iter_pages(paths: Iterable[Path], *, max_bytes: int, url: str | None = None) -> Iterator[SavedPage]:
    """Every page in the inputs; a file that cannot be read becomes a SavedPage with `error` set."""
    for path in paths:
        name = path.name.lower()
        try:
            if name.endswith(WARC_SUFFIXES):
                yield from _warc_pages(path, max_bytes)
            else:
                yield SavedPage(data=_read_limited(path, max_bytes), source_path=str(path), url=url)
        except (OSError, ValueError, EOFError, ArchiveLoadFailed, zlib.error) as exc:  # unreadable, corrupt
            yield SavedPage(data=b"", source_path=str(path), url=url,
                            error=f"cannot read {path}: {type(exc).__name__}: {exc}")

