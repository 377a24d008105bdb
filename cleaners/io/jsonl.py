"""JSON Lines output, for piping (`-o -`) and for tools that do not read Parquet.

One object per line with the same fields as the Parquet schema; dates as ISO 8601 strings.
A file target is written atomically like the Parquet writer."""
from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

from .parquet import temporary_name
from .schema import unwritable_row

log = logging.getLogger(__name__)


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, default=_default) + "\n").encode("utf-8")


class JsonlWriter:
    def __init__(self, path: str | os.PathLike | None):
        """path None writes to standard output as rows come."""
        self.path = Path(path) if path is not None else None
        self.rows_written = 0
        # Bytes, always UTF-8: standard output's own encoding (ASCII under LANG=C) is not used.
        if self.path is None:
            self._tmp, self._handle = None, sys.stdout.buffer
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = temporary_name(self.path)
            self._handle = open(self._tmp, "wb")

    def write(self, record: dict) -> None:
        """One line; a record that does not encode becomes an error row with the reason."""
        try:
            line = _line(record)
        except (TypeError, ValueError, UnicodeError, RecursionError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("row of %s not writable (%s): written as an error row",
                        record.get("source_path") or record.get("url"), reason)
            line = _line(unwritable_row(record, reason))
        self._handle.write(line)
        self.rows_written += 1

    def close(self):
        if self._tmp is None:
            self._handle.flush()
            return None
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        if self._tmp is not None:
            self._handle.close()
            self._tmp.unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
