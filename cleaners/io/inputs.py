"""Saved pages in: files, folders (recursive) and globs of .html/.htm/.txt/.warc/.warc.gz.

Each page is yielded as a `SavedPage` holding its bytes; a file is read only up to the size
limit (plus one byte, to tell that it is over), so a stray multi-gigabyte file costs no memory.
WARC files are streamed record by record with warcio.

Whatever an input is, it gives rows and never ends the run: a FIFO, a socket or a device named
as an input is not opened (reading a FIFO would wait forever) but reported as a `read_error`
row, as are symlink loops and broken links; a WARC cut short yields its complete records and a
`read_error` row for the cut one; a record's unreadable HTTP status or date is left empty.
"""
from __future__ import annotations

import glob
import os
import stat
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
            # Not only regular files: a FIFO or a broken link named like a page gets its error row.
            candidates = (sorted(p for p in match.rglob("*") if is_input_file(p) and not p.is_dir())
                          if match.is_dir() else [match])
            for path in candidates:
                key = _key(path)
                if key not in seen:
                    seen.add(key)
                    yield path


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return os.path.abspath(path)


_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISDIR, "a folder"))


def not_a_file_reason(path: Path) -> str | None:
    """Why the input cannot be read as a file (without opening it), or None for a regular file."""
    try:
        mode = os.stat(path).st_mode  # follows links: a link to a FIFO is a FIFO
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in _FILE_KINDS if test(mode)), "not a regular file")
    return f"{path} is {kind}, not a regular file: skipped"


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


def _status(record) -> int | None:
    """The record's HTTP status as a number, None when it is not one (the schema range-checks it)."""
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode() or 0) or None
    except ValueError:
        return None


def _date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _warc_pages(path: Path, limit: int) -> Iterator[SavedPage]:
    size = os.path.getsize(path)
    end = 0  # where the last complete record ends
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            wanted = record.rec_type in ("response", "resource")
            if wanted:
                if record.http_headers is not None:
                    content_type = record.http_headers.get_header("Content-Type")
                else:
                    content_type = record.rec_headers.get_header("Content-Type")
                wanted = not content_type or content_type.lower().startswith(_PAGE_CONTENT_TYPES)
            # not a page: images, scripts, style sheets, requests, metadata
            data = record.content_stream().read(limit + 1) if wanted else b""
            records.read_to_end(record)
            missing = getattr(record.raw_stream, "limit", 0)
            if missing:  # the file ends inside this record
                yield SavedPage(data=b"", source_path=f"{path}#{record_id}",
                                url=record.rec_headers.get_header("WARC-Target-URI"),
                                error=f"cannot read {path}: the WARC is cut short inside record "
                                      f"{record_id} ({missing} bytes missing)")
                return
            end = records.get_record_offset() + records.get_record_length()
            if not wanted:
                continue
            yield SavedPage(
                data=data,
                source_path=f"{path}#{record_id}",
                url=record.rec_headers.get_header("WARC-Target-URI"),
                http_charset=_charset_of(content_type),
                http_status=_status(record),
                fetched_at=_date(record.rec_headers.get_header("WARC-Date")),
            )
        handle.seek(end)
        rest = handle.read(64)
    if len(rest.strip()) > 0 and size - end > 4:  # bytes after the last complete record
        yield SavedPage(data=b"", source_path=f"{path}#offset={end}",
                        error=f"cannot read {path}: the WARC is cut short or corrupt after byte {end} "
                              f"({size - end} bytes left unread)")


def iter_pages(paths: Iterable[Path], *, max_bytes: int, url: str | None = None) -> Iterator[SavedPage]:
    """Every page in the inputs; a file that cannot be read becomes a SavedPage with `error` set."""
    for path in paths:
        name = path.name.lower()
        reason = not_a_file_reason(path)
        if reason:
            yield SavedPage(data=b"", source_path=str(path), url=url, error=reason)
            continue
        try:
            if name.endswith(WARC_SUFFIXES):
                yield from _warc_pages(path, max_bytes)
            else:
                yield SavedPage(data=_read_limited(path, max_bytes), source_path=str(path), url=url)
        except (OSError, ValueError, EOFError, ArchiveLoadFailed, zlib.error, RuntimeError) as exc:  # unreadable, corrupt
            yield SavedPage(data=b"", source_path=str(path), url=url,
                            error=f"cannot read {path}: {type(exc).__name__}: {exc}")

