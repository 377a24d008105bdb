"""The article dataset: hive-partitioned Parquet parts written atomically, plus run manifests.

Layout under the dataset folder (default `output/articles/`):

    crawl_date=YYYY-MM-DD/site=<site>/part-<run id>-<n>.parquet   rows (cleaners.schema.DATASET_SCHEMA)
    _manifests/<run id>.json                                      one per run (see Manifest)
    _state/state.sqlite                                           what is already in the dataset

Guarantees:
- Every `*.parquet` file is complete: a part is written under a hidden temporary name
  (`.part-....parquet.<pid>.<rand>.tmp`, see cleaners.parquet) and renamed into place only when
  finished. Parts rotate every `part_rows` rows and every `part_seconds` seconds, and at close.
- Rows stream to disk a row group at a time: memory stays flat however long the run.
- URLs and content hashes are recorded in the state store only after the part holding their rows
  is in place, so a killed run loses nothing that a re-run would not fetch again, and no article
  is written twice. Parts renamed but not yet recorded (a kill between the two steps) are found
  and recorded at the next start (`recover()`); temporary files left by dead processes are removed.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners import health
from cleaners.io.parquet import ParquetWriter
from cleaners.io.schema import DATASET_SCHEMA, unwritable_row
from cleaners.safe import safe_str

from .partlock import partition_lock
from .state import StateStore, open_state_store

log = logging.getLogger(__name__)

MANIFEST_DIR = "_manifests"
STATE_DIR = "_state"
_TMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_COUNTER_LOCK = threading.Lock()
_COUNTERS: dict[tuple, itertools.count] = {}


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + os.urandom(3).hex()


_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_MAX_PARTITION = 100


def check_run_id(run_id: str) -> str:
    """A run id names files (part-<run id>-n.parquet, _manifests/<run id>.json): letters, digits,
    '.', '_' and '-', at most 100, no '..'. ValueError (one line) otherwise."""
    if not _RUN_ID.match(run_id or "") or ".." in run_id:
        raise ValueError(f"NEWSCLEAN_RUN_ID must be 1-100 letters, digits, '.', '_' or '-' (no '..'), "
                         f"not {run_id!r}")
    return run_id


def ascii_host(value: str) -> str:
    """A host in ASCII: IDNA (punycode) per label, so that пример.рф and победа.рф stay apart;
    labels the IDNA codec refuses (over 63 characters, ...) are punycoded as they are."""
    try:
        return value.encode("idna").decode("ascii")
    except UnicodeError:
        labels = []
        for label in value.split("."):
            try:
                labels.append(label.encode("ascii").decode())
            except UnicodeError:
                labels.append("xn--" + label.encode("punycode").decode("ascii"))
        return ".".join(labels)


def partition_value(value: str | None) -> str:
    """The folder name of a partition value (a site): always one harmless path segment under the
    dataset, and two different values never share one. Hosts are lower-cased and IDNA-encoded;
    a value that still needs changing (characters outside [A-Za-z0-9._-], a leading dot, over 100
    characters) keeps a readable prefix and gets a hash of the original value."""
    if not value:
        return "unknown"
    text = value.strip().lower()
    try:
        ascii_value = ascii_host(text)
    except UnicodeError:
        ascii_value = text
    safe = _SAFE.sub("_", ascii_value)
    if safe == ascii_value and not safe.startswith(".") and 0 < len(safe) <= _MAX_PARTITION:
        return safe
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{safe.strip('.')[:_MAX_PARTITION - 13]}-{digest}".lstrip("-") or digest


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(root: Path, owned=None) -> list[Path]:
    """Remove hidden temporary part files whose writing process is gone (killed runs). `owned`
    (Redis mode: crawler.cluster.owns_temp_file) limits it to this machine's files."""
    removed = []
    if not root.exists():
        return removed
    for path in root.rglob(".*.tmp"):
        match = _TMP_NAME.match(path.name)
        if match and (owned is None or owned(path)) and not _pid_alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


class DatasetWriteError(RuntimeError):
    """A part could not be written or committed (disk full, permissions): its rows are not in the
    dataset and their URLs not recorded, so the next run fetches them again."""


def safe_text(value):
    """A string the Parquet writer can encode (cleaners.safe: lone surrogates, NULs)."""
    return safe_str(value, 8192) if isinstance(value, str) else value


def writable_row(row: dict, schema=DATASET_SCHEMA) -> tuple[dict, str | None]:
    """(the row, None) when the dataset schema can encode it; otherwise (the error row that
    stands for it, keeping the page's URLs and fetch facts, and why the row was refused). Checked
    row by row, before the row joins a row group, so that one bad row can never cost the other
    rows of its part."""
    try:
        pa.Table.from_pylist([row], schema=schema)
        return row, None
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as exc:  # UnicodeError is a ValueError
        reason = f"{type(exc).__name__}: {exc}"[:300]
    fallback = unwritable_row(row, reason, schema.names)
    fallback["site"] = safe_text(row.get("site"))  # a partition key, not a column of the files
    if isinstance(row.get("fetched_at"), datetime):
        fallback["fetched_at"] = row["fetched_at"]
    status = row.get("http_status")
    if isinstance(status, int) and 0 <= status <= 32767:
        fallback["http_status"] = status
    return fallback, reason


class _Part:
    def __init__(self, path: Path, row_group_size: int, root: Path):
        self.path = path
        # shared lock of the partition while the part is open: compaction waits for it
        self.lock = partition_lock(root, path.parent, shared=True)
        self.writer = ParquetWriter(path, schema=DATASET_SCHEMA, row_group_size=row_group_size)
        self.rows = 0
        self.urls: set[str] = set()
        self.hashes: set[str] = set()
        self.unmarked: set[str] = set()  # URLs of rows that settle nothing (transient errors)
        self.opened = time.monotonic()


class DatasetWriter:
    """Writes article rows into the partitioned dataset for one run (one or more spiders)."""

    def __init__(self, root: str | os.PathLike, run_id: str, *, state: StateStore | None = None,
                 part_rows: int = 5000, part_seconds: float = 300.0, row_group_size: int = 500,
                 crawl_date: str | None = None, temp_owner=None, on_commit=None):
        self.root = Path(root)
        self.temp_owner = temp_owner  # which temporary files recover() may judge (Redis mode)
        self.on_commit = on_commit  # called with a part's URLs and hashes once it is recorded
        self.root.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self.state = state or open_state_store(str(self.root / STATE_DIR / "state.sqlite"))
        self.part_rows = max(1, int(part_rows))
        self.part_seconds = float(part_seconds)
        self.row_group_size = max(1, int(row_group_size))
        self.crawl_date = crawl_date or datetime.now(timezone.utc).date().isoformat()
        self._parts: dict[str, _Part] = {}
        self._pending_urls: set[str] = set()
        self._pending_hashes: set[str] = set()
        self.files: list[str] = []
        self.rows_written = 0
        self.rows_refused = 0  # rows the schema could not encode, written as error rows instead
        self.failures: list[str] = []  # parts that could not be written (DatasetWriteError)
        self.lock = threading.RLock()

    # -- start of run -----------------------------------------------------------------------
    def recover(self) -> dict:
        """Clean up after killed runs: drop their temporary files and record parts that were
        renamed into place but not yet recorded in the state store."""
        removed = remove_stale_temp_files(self.root, self.temp_owner)
        recorded = 0
        for path in sorted(self.root.glob("crawl_date=*/site=*/*.parquet")):
            rel = path.relative_to(self.root).as_posix()
            if self.state.has_part(rel):
                continue
            try:
                table = pq.read_table(path, columns=["url", "canonical_url", "final_url", "content_hash",
                                                     "status", "http_status", "crawl_run_id"])
            except FileNotFoundError:  # compacted away meanwhile (crawler.compact): recorded there
                continue
            rows = table.to_pylist()
            urls, hashes = keys_of(rows)
            run = rows[0]["crawl_run_id"] if rows else ""
            self.state.commit_part(rel, len(rows), urls, hashes, run or "")
            recorded += 1
        if removed or recorded:
            log.info("dataset recovery: removed %d stale temporary files, recorded %d parts",
                     len(removed), recorded)
        return {"stale_temp_files_removed": len(removed), "parts_recovered": recorded}

    # -- rows -------------------------------------------------------------------------------
    def is_seen(self, urls=(), hashes=()) -> bool:
        """Already in the dataset, or written earlier in this run (not yet committed)."""
        urls = [u for u in urls if u]
        hashes = [h for h in hashes if h]
        with self.lock:
            from .state import url_key
            if any(url_key(u) in self._pending_urls for u in urls) or any(h in self._pending_hashes for h in hashes):
                return True
        return self.state.seen_any(urls, hashes)

    def write(self, row: dict, *, keys_urls=(), mark: bool = True, refused: str | None = None) -> dict:
        """Add a row to its site's open part; returns the row as written (an error row in its
        place when the schema cannot encode it, see writable_row; `refused`: the caller checked
        already, and this is why, or "" for a row that passed). Raises DatasetWriteError when the part itself cannot be
        written: that part is dropped (its URLs stay unrecorded)."""
        from .state import url_key
        if refused is None:
            row, refused = writable_row(row)
        if refused:
            log.warning("dataset: a row of %s could not be written (%s): an error row instead",
                        row.get("url"), refused)
        site = partition_value(row.get("site"))
        with self.lock:
            if refused:
                self.rows_refused += 1
            part = self._parts.get(site)
            try:
                if part is None:
                    part = self._parts[site] = self._open_part(site)
                part.writer.write(row)
            except Exception as exc:  # noqa: BLE001 - disk full, permissions, a bug in the writer
                self._drop(site, exc)
                raise DatasetWriteError(self.failures[-1]) from exc
            part.rows += 1
            self.rows_written += 1
            if not mark and self.on_commit is not None:  # Redis mode: its claim ends at commit too
                part.unmarked.update(k for k in map(url_key, (row.get("url"), *keys_urls)) if k)
            if mark:
                for u in {row.get("url"), row.get("canonical_url"), row.get("final_url"),
                          *map(safe_text, keys_urls)}:
                    key = url_key(u)
                    if key:
                        part.urls.add(key)
                        self._pending_urls.add(key)
                if row.get("content_hash"):
                    part.hashes.add(row["content_hash"])
                    self._pending_hashes.add(row["content_hash"])
            if part.rows >= self.part_rows:
                self._commit(site)
        return row

    def _drop(self, site: str, exc: BaseException) -> None:
        """Abandon a part that failed: its rows are not in the dataset and its keys are not
        recorded (a re-run fetches them again)."""
        part = self._parts.pop(site, None)
        name = part.path.relative_to(self.root).as_posix() if part else f"site={site}"
        if part is not None:
            try:
                part.writer.abort()
            except Exception:  # noqa: BLE001 - the temporary file is removed by the next run
                pass
            self._pending_urls -= part.urls
            self._pending_hashes -= part.hashes
            part.lock.release()
        message = f"{name}: {type(exc).__name__}: {exc}"[:500]
        self.failures.append(message)
        log.error("dataset: could not write %s (%d rows not written; the next run fetches them "
                  "again)", message, part.rows if part else 0)

    def rotate_due(self) -> None:
        """Commit parts that have been open longer than part_seconds (call it periodically)."""
        with self.lock:
            now = time.monotonic()
            for site, part in list(self._parts.items()):
                if now - part.opened >= self.part_seconds:
                    try:
                        self._commit(site)
                    except DatasetWriteError:
                        pass  # reported in failures; the run ends with an error

    def _open_part(self, site: str) -> _Part:
        folder = self.root / f"crawl_date={self.crawl_date}" / f"site={site}"
        with _COUNTER_LOCK:
            counter = _COUNTERS.setdefault((str(folder), self.run_id), itertools.count())
            while True:
                n = next(counter)
                path = folder / f"part-{self.run_id}-{n:05d}.parquet"
                if not path.exists():
                    break
        return _Part(path, self.row_group_size, self.root)

    def _commit(self, site: str) -> None:
        part = self._parts[site]
        try:
            path = part.writer.close()  # atomic rename into place
        except Exception as exc:  # noqa: BLE001
            self._drop(site, exc)
            raise DatasetWriteError(self.failures[-1]) from exc
        del self._parts[site]
        rel = path.relative_to(self.root).as_posix()
        # Only now that the rows are durable do their keys become "seen".
        try:
            self.state.commit_part(rel, part.rows, part.urls, part.hashes, self.run_id)
        except Exception as exc:  # noqa: BLE001 - the part is in place: the next run's recover() records it
            self.files.append(rel)
            self.failures.append(f"{rel}: written, not recorded in the state store: {type(exc).__name__}: {exc}"[:500])
            log.error("dataset: %s", self.failures[-1])
            raise DatasetWriteError(self.failures[-1]) from exc
        finally:
            part.lock.release()
        if self.on_commit is not None:
            self.on_commit(part.urls | part.unmarked, part.hashes)
        # durable now: the state store answers for these keys, so memory stays flat
        self._pending_urls -= part.urls
        self._pending_hashes -= part.hashes
        self.files.append(rel)
        log.info("dataset: wrote %s (%d rows)", rel, part.rows)

    def close(self) -> list[str]:
        """Commit every open part; a part that fails is reported in `failures`, the others are
        still committed."""
        with self.lock:
            for site in list(self._parts):
                try:
                    self._commit(site)
                except DatasetWriteError:
                    pass
        return self.files

    def abort(self) -> None:
        with self.lock:
            for part in self._parts.values():
                part.writer.abort()
                part.lock.release()
            self._parts.clear()


def keys_of(rows: list[dict]) -> tuple[set[str], set[str]]:
    """The URLs and content hashes that rows read back from a part settle (see is_permanent)."""
    keep = [r for r in rows if is_permanent(r)]
    urls = {u for r in keep for u in (r["url"], r["canonical_url"], r["final_url"]) if u}
    hashes = {r["content_hash"] for r in keep if r["content_hash"]}
    return urls, hashes


TRANSIENT_HTTP = {408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}


def is_permanent(row: dict) -> bool:
    """Whether a row settles its URL for good. Fetch errors that may pass (5xx, 429, time-outs,
    connection errors: no HTTP status) are fetched again by the next run; everything else
    (articles, 404s, non-HTML, too large, unreadable pages) is not."""
    if row.get("status") != "fetch_error":
        return True
    status = row.get("http_status")
    return status is not None and status not in TRANSIENT_HTTP


class Manifest:
    """The per-run manifest, `_manifests/<run id>.json`, rewritten atomically whenever a spider of
    the run finishes (several spiders of one run in one process share it).

    {
      "run_id": "...", "started_at": ISO, "finished_at": ISO|null, "spiders": ["rt", ...],
      "rows": N, "counts_by_status": {"ok": n, "fetch_error": n, ...},
      "counts_by_site": {"rt.com": n, ...}, "counts_by_site_status": {"rt.com": {"ok": n}},
      "skipped": {"seen": n, "duplicate": n, "robots": n, "offsite": n},
      "files": ["crawl_date=.../site=.../part-....parquet", ...],
      "rows_refused": n, "write_errors": [...], "discovery_refused": {"sitemap: too large": n},
      "recovery": {...}, "per_spider": {"rt": {"started_at", "finished_at", "finish_reason", "rows",
      "counts_by_status", "counts_by_site", "skipped", "requests", "responses", "retries",
      "templates_by_site", "template_health"}},
      "templates_by_site": {"rt.com": {"templates": {"site:rt/2026": n, ...}, "fallback": n}},
      "template_warnings": ["rt.com: 30 of 100 pages (30%) matched no template … redesigned"],
      "dataset": "<dataset folder>"
    }
    `finished_at` stays null for a run that was killed; `skipped` counts article URLs not written:
    seen (in the dataset before fetching), duplicate (same canonical URL or content hash after
    cleaning), robots (robots.txt disallowed: never fetched), offsite. `rows_refused` counts rows
    the schema could not encode (written as cleaner_error rows instead); `write_errors` names parts
    that could not be written at all (their pages are fetched again next run; the run exits 1);
    `discovery_refused` counts sitemaps and feeds not read, by "kind: reason" (entity declarations,
    external DTD, too large, sitemap index loop, HTTP 404, ...).
    """

    _registry: dict[tuple[str, str], "Manifest"] = {}
    _registry_lock = threading.Lock()

    def __init__(self, root: Path, run_id: str):
        self.root = root
        self.run_id = run_id
        self.data = {"run_id": run_id, "started_at": None, "finished_at": None, "spiders": [],
                     "rows": 0, "counts_by_status": {}, "counts_by_site": {},
                     "counts_by_site_status": {}, "skipped": {}, "files": [], "recovery": {},
                     "per_spider": {}, "dataset": str(root), "templates_by_site": {},
                     "template_warnings": []}
        self._open = 0
        self.lock = threading.Lock()

    @classmethod
    def for_run(cls, root: Path, run_id: str) -> "Manifest":
        with cls._registry_lock:
            key = (str(root), run_id)
            if key not in cls._registry:
                cls._registry[key] = cls(root, run_id)
            return cls._registry[key]

    @property
    def path(self) -> Path:
        return self.root / MANIFEST_DIR / f"{self.run_id}.json"

    def spider_started(self, name: str, started_at: str, recovery: dict) -> None:
        with self.lock:
            self._open += 1
            d = self.data
            d["started_at"] = d["started_at"] or started_at
            d["finished_at"] = None
            if name not in d["spiders"]:
                d["spiders"].append(name)
            for k, v in recovery.items():
                d["recovery"][k] = d["recovery"].get(k, 0) + v
            d["per_spider"][name] = {"started_at": started_at, "finished_at": None}
            self._save()

    def spider_finished(self, name: str, info: dict, by_status: Counter, by_site_status: dict,
                        skipped: Counter, files: list[str]) -> None:
        with self.lock:
            self._open -= 1
            d = self.data
            d["per_spider"][name] = info
            d["counts_by_status"] = dict(Counter(d["counts_by_status"]) + by_status)
            for site, counter in by_site_status.items():
                cur = Counter(d["counts_by_site_status"].get(site, {})) + counter
                d["counts_by_site_status"][site] = dict(cur)
            d["counts_by_site"] = {s: sum(c.values()) for s, c in d["counts_by_site_status"].items()}
            d["skipped"] = dict(Counter(d["skipped"]) + skipped)
            d["files"] = sorted(set(d["files"]) | set(files))
            d["rows"] = sum(d["counts_by_status"].values())
            d["discovery_refused"] = dict(Counter(d.get("discovery_refused", {}))
                                          + Counter(info.get("discovery_refused", {})))
            d["rows_refused"] = max(d.get("rows_refused", 0), info.get("rows_refused", 0))
            d["write_errors"] = sorted(set(d.get("write_errors", [])) | set(info.get("write_errors", [])))
            # pages per site template and fallbacks to the generic path (cleaners.health)
            health.merge(d["templates_by_site"], info.get("templates_by_site", {}))
            d["template_warnings"] = health.warnings(d["templates_by_site"], **info.get("template_health", {}))
            if self._open <= 0:
                d["finished_at"] = info.get("finished_at")
            self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True, default=str), encoding="utf-8")
        os.replace(tmp, self.path)
