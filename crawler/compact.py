"""`newsclean compact DATASET`: merge a partition's small parts into fewer, larger files.

Many workers and part rotation leave many small files (the demo: 5 parts for 11 rows), and
readers pay per file. For each partition (`crawl_date=D/site=S`) with more than one part:

1. take the partition's lock exclusively (crawler.partlock): no writer has a part open there,
   and none opens one until the swap is done (a partition being written is skipped, or waited
   for with --wait); other partitions are written on meanwhile;
2. record in the state store any part that was renamed but not recorded (a writer killed between
   the two steps), as `DatasetWriter.recover()` would;
3. sort the partition's rows by `published` (DuckDB, which spills to disk: memory stays bounded)
   and write them, DATASET_SCHEMA, into files of at most --target-rows rows, in a staging folder
   beside the dataset (`.<dataset>-compact/`, outside the readers' `**/*.parquet` glob);
4. check that the new files hold exactly the old parts' rows, then swap the staging folder and the
   partition folder in one `renameat2(RENAME_EXCHANGE)`;
5. point the state store at the new files (`replace_parts`), then delete the old parts (now in the
   staging folder).

What a reader sees: a listing of the partition is of one folder, the old one or the new one, so
it holds either every old part or every new file -- each row exactly once, never both, never
neither. A reader that listed the old folder and opens its files after the swap gets a
FileNotFoundError (never a wrong count) and can retry. Where the filesystem has no
RENAME_EXCHANGE (old kernels, some network filesystems), the swap is two renames and a reader in
the gap between them sees the partition missing (never doubled). A compaction killed at any
moment leaves the dataset as it was before or after the swap; its staging folder is removed by
the next compaction. The state store keeps pointing at files that exist: the new files are
recorded before the old ones are deleted, and a part missing at `recover()` time is skipped.
"""
from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners.io.parquet import temporary_name
from cleaners.io.schema import DATASET_SCHEMA

from .claims import host_tag, worker_token
from .dataset import STATE_DIR, _pid_alive, keys_of
from .partlock import partition_lock
from .state import StateStore, open_state_store

log = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
AT_FDCWD = -100
COMPACT_RUN = "compact"


def open_state(root: Path, redis_url: str | None = None, prefix: str | None = None) -> StateStore:
    if redis_url:
        from .redisstate import DEFAULT_PREFIX, RedisStateStore

        return RedisStateStore.from_url(redis_url, prefix or DEFAULT_PREFIX)
    return open_state_store(str(root / STATE_DIR / "state.sqlite"))


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE). False when the filesystem or
    kernel cannot; then nothing was changed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap_folders(new: Path, live: Path) -> bool:
    """Make `new` the live folder and move the live one to `new`'s place. True when atomic."""
    if exchange(new, live):
        return True
    aside = new.with_name(new.name + ".old")
    os.rename(live, aside)  # the gap: readers see no partition (never a doubled one)
    os.rename(new, live)
    os.rename(aside, new)
    return False


def staging_root(root: Path) -> Path:
    return root.resolve().parent / f".{root.resolve().name}-compact"


def find_partitions(root: Path, selected: list[str]) -> list[Path]:
    folders = sorted(p for p in root.glob("crawl_date=*/site=*") if p.is_dir())
    if not selected:
        return folders
    out = []
    for sel in selected:
        sel = sel.strip("/")
        match = [f for f in folders if f.relative_to(root).as_posix() == sel
                 or f.relative_to(root).as_posix().startswith(sel + "/")]
        if not match:
            raise ValueError(f"no partition {sel!r} in {root}")
        out += [m for m in match if m not in out]
    return out


def _record_unrecorded(root: Path, state: StateStore, parts: list[Path]) -> int:
    recorded = 0
    for path in parts:
        rel = path.relative_to(root).as_posix()
        if state.has_part(rel):
            continue
        rows = pq.read_table(path, columns=["url", "canonical_url", "final_url", "content_hash",
                                            "status", "http_status", "crawl_run_id"]).to_pylist()
        urls, hashes = keys_of(rows)
        state.commit_part(rel, len(rows), urls, hashes, (rows[0]["crawl_run_id"] if rows else "") or "")
        recorded += 1
    return recorded


def _write_sorted(parts: list[Path], folder: Path, stamp: str, target_rows: int, tmp: Path) -> dict[str, int]:
    """Rows of `parts` sorted by published (as an instant; nulls last, then url) into files of
    `folder`, each written under a temporary name and renamed when complete."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{tmp}'")
    con.execute("SET memory_limit = '1GB'")
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts)
    columns = ", ".join(f'"{name}"' for name in DATASET_SCHEMA.names)
    con.execute("SET TimeZone = 'UTC'")
    relation = con.sql(
        f"SELECT {columns} FROM read_parquet([{files}], hive_partitioning = false, union_by_name = true) "
        # the instant (offsets differ between pages), then the string as stated, then the URL
        "ORDER BY TRY_CAST(published AS TIMESTAMPTZ) NULLS LAST, published NULLS LAST, url")
    reader = (relation.to_arrow_reader(10_000) if hasattr(relation, "to_arrow_reader")
              else relation.fetch_arrow_reader(10_000))
    written: dict[str, int] = {}
    writer = path = tmp_path = None
    rows_in_file = 0

    def finish():
        writer.close()
        os.replace(tmp_path, path)
        written[path.name] = rows_in_file

    try:
        for batch in reader:
            table = pa.Table.from_batches([batch]).cast(DATASET_SCHEMA)
            offset = 0
            while offset < table.num_rows:
                if writer is None:
                    path = folder / f"part-{stamp}-{len(written):05d}.parquet"
                    tmp_path = temporary_name(path)
                    writer = pq.ParquetWriter(tmp_path, DATASET_SCHEMA, compression="zstd")
                    rows_in_file = 0
                take = min(table.num_rows - offset, target_rows - rows_in_file)
                writer.write_table(table.slice(offset, take), row_group_size=50_000)
                rows_in_file += take
                offset += take
                if rows_in_file >= target_rows:
                    finish()
                    writer = None
        if writer is not None:
            finish()
            writer = None
    finally:
        if writer is not None:
            writer.close()
            Path(tmp_path).unlink(missing_ok=True)
        con.close()
    return written


def compact_partition(root: Path, folder: Path, state: StateStore, *, target_rows: int = 1_000_000,
                      wait: bool = False) -> dict:
    rel_folder = folder.relative_to(root).as_posix()
    result = {"partition": rel_folder}
    try:
        lock = partition_lock(root, folder, shared=False, blocking=wait)
    except BlockingIOError:
        return {**result, "status": "skipped: a writer has a part open in it"}
    started = time.monotonic()
    try:
        parts = sorted(folder.glob("part-*.parquet"))
        if len(parts) < 2:
            return {**result, "status": "nothing to compact"}
        _record_unrecorded(root, state, parts)
        rows_before = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-compact-{worker_token()}"
        stage = staging_root(root) / f"{stamp}"
        new_folder = stage / rel_folder
        new_folder.mkdir(parents=True)
        (stage / "tmp").mkdir()
        written = _write_sorted(parts, new_folder, stamp, max(1, int(target_rows)), stage / "tmp")
        rows_after = sum(pq.ParquetFile(new_folder / name).metadata.num_rows for name in written)
        if rows_after != rows_before:  # never swap in a partition that lost or gained rows
            shutil.rmtree(stage, ignore_errors=True)
            raise RuntimeError(f"{rel_folder}: compacted {rows_after} rows, expected {rows_before}")
        atomic = swap_folders(new_folder, folder)
        state.replace_parts([p.relative_to(root).as_posix() for p in parts],
                            {f"{rel_folder}/{name}": rows for name, rows in written.items()}, COMPACT_RUN)
    finally:
        lock.release()
    shutil.rmtree(stage, ignore_errors=True)  # the old parts
    return {**result, "status": "compacted", "parts_before": len(parts), "parts_after": len(written),
            "rows": rows_after, "atomic_swap": atomic, "seconds": time.monotonic() - started}


def compact_dataset(root: Path, state: StateStore, *, partitions: list[str] = (), target_rows: int = 1_000_000,
                    wait: bool = False) -> list[dict]:
    root = Path(root)
    leftovers = staging_root(root)
    if leftovers.exists():  # staging folders of killed compactions: their swap never happened,
        for stage in leftovers.iterdir():  # or it did and these are old parts, recorded nowhere
            pid = stage.name.rsplit("-", 1)[-1]
            if f"-{host_tag()}-" in stage.name and (not pid.isdigit() or not _pid_alive(int(pid))):
                shutil.rmtree(stage, ignore_errors=True)
    results = []
    for folder in find_partitions(root, list(partitions)):
        result = compact_partition(root, folder, state, target_rows=target_rows, wait=wait)
        if result["status"] != "nothing to compact":
            log.info("compact: %s", result)
            results.append(result)
    try:
        leftovers.rmdir()  # only when empty: another compaction may be using it
    except OSError:
        pass
    return results
