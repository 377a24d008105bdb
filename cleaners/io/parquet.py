"""The Parquet writer shared by `newsclean clean` and the crawler.

Rows are buffered and written a row group at a time, so memory stays flat however many pages a
run cleans. The file is written under a hidden temporary name in the target folder and renamed
into place only when complete (os.replace is atomic on POSIX): a killed run leaves either the
previous file or no file, never a half-written one. Readers that scan a folder skip the
temporary name (it starts with a dot and does not end in .parquet).
"""
from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import ARTICLE_SCHEMA, unwritable_row

ROW_GROUP_SIZE = 2000
log = logging.getLogger(__name__)
# What pyarrow raises for a value that does not fit its column.
_CONVERSION_ERRORS = (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeError)


def temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


class RowGroupWriter:
    """Buffers rows (dicts of the schema) and writes them to a Parquet sink a row group at a
    time. The sink is a path or an open binary file (Scrapy's feed storage hands one over)."""

    def __init__(self, sink, *, schema: pa.Schema = ARTICLE_SCHEMA, row_group_size: int = ROW_GROUP_SIZE,
                 compression: str = "zstd"):
        self.schema = schema
        self.row_group_size = row_group_size
        self.rows_written = 0
        self._buffer: list[dict] = []
        self._writer = pq.ParquetWriter(sink, schema, compression=compression)

    def write(self, record: dict) -> None:
        self._buffer.append(record)
        if len(self._buffer) >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._table(self._buffer))
            self.rows_written += len(self._buffer)
            self._buffer = []

    def _table(self, rows: list[dict]) -> pa.Table:
        """The batch as a table; when the batch does not convert, row by row, each row that
        still does not becoming an error row with the reason (one bad page never costs a batch)."""
        try:
            return pa.Table.from_pylist(rows, schema=self.schema)
        except _CONVERSION_ERRORS:
            pass
        fixed = []
        for row in rows:
            try:
                pa.Table.from_pylist([row], schema=self.schema)
                fixed.append(row)
            except _CONVERSION_ERRORS as exc:
                reason = f"{type(exc).__name__}: {exc}"
                log.warning("row of %s not writable (%s): written as an error row",
                            row.get("source_path") or row.get("url"), reason)
                fixed.append(unwritable_row(row, reason, self.schema.names))
        return pa.Table.from_pylist(fixed, schema=self.schema)

    def close(self) -> None:
        """Write what is buffered and the footer."""
        self.flush()
        self._writer.close()


class ParquetWriter:
    """Streams rows (dicts of ARTICLE_SCHEMA) to one Parquet file, atomically.

    Use as a context manager: the file appears on a clean exit; on an exception the temporary
    file is removed and the target is left as it was."""

    def __init__(self, path: str | os.PathLike, *, schema: pa.Schema = ARTICLE_SCHEMA,
                 row_group_size: int = ROW_GROUP_SIZE, compression: str = "zstd"):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = temporary_name(self.path)
        self._rows = RowGroupWriter(self._tmp, schema=schema, row_group_size=row_group_size,
                                    compression=compression)
        self._closed = False

    @property
    def rows_written(self) -> int:
        return self._rows.rows_written

    def write(self, record: dict) -> None:
        self._rows.write(record)

    def flush(self) -> None:
        self._rows.flush()

    def close(self) -> Path:
        """Finish the file and move it into place."""
        if self._closed:
            return self.path
        self._rows.close()
        with open(self._tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(self._tmp, self.path)
        _fsync_dir(self.path.parent)
        self._closed = True
        return self.path

    def abort(self) -> None:
        """Drop everything written so far; the target is not touched."""
        if self._closed:
            return
        self._closed = True
        try:
            self._rows._writer.close()
        finally:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "ParquetWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def schema_version(path: str | os.PathLike) -> str | None:
    """The schema version recorded in a Parquet file written by newsclean."""
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(b"newsclean.schema_version")
    return value.decode() if value else None
