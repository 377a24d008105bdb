"""The crawl state store: which URLs and content hashes are already in the dataset.

The state lives outside the process (and outside JOBDIR), so every later run, from cron, scrapyd
or a shell, skips what an earlier run wrote. `StateStore` is the interface; `SQLiteStateStore`
is the single-machine backend (one file under the output folder, WAL mode, safe for several
processes at once); `crawler.redisstate.RedisStateStore` the one of Redis mode (many workers on
many machines, crawler.cluster): `seen_any`, `commit_part`, `has_part`, `replace_parts`, `close`
-- sets of keys and a set of committed parts.

Keys are recorded only by `commit_part()`, which the dataset writer calls *after* the Parquet part
holding the rows has been renamed into place: a run killed at any moment loses no article (what was
not committed is fetched again next time) and writes none twice.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

KIND_URL = "url"
KIND_HASH = "hash"


def url_key(url: str | None) -> str | None:
    """The form a URL is recorded in: no fragment, lower-case scheme and host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


class StateStore:
    """Interface of a state store (see the module docstring)."""

    def seen_any(self, urls: Iterable[str | None] = (), hashes: Iterable[str | None] = ()) -> bool:
        raise NotImplementedError

    def commit_part(self, part: str, rows: int, urls: Iterable[str | None],
                    hashes: Iterable[str | None], run_id: str) -> None:
        """Record a committed part file and the keys of its rows, atomically."""
        raise NotImplementedError

    def has_part(self, part: str) -> bool:
        raise NotImplementedError

    def replace_parts(self, old: Iterable[str], new: dict[str, int], run_id: str) -> None:
        """Compaction (crawler.compact): the parts `old` were merged into `new` (part -> rows)."""
        raise NotImplementedError

    def counts(self) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        pass


class SQLiteStateStore(StateStore):
    def __init__(self, path: str | os.PathLike, timeout: float = 30.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=%d" % int(timeout * 1000))
        with self._tx():
            self._db.execute("CREATE TABLE IF NOT EXISTS seen (kind TEXT NOT NULL, key TEXT NOT NULL,"
                             " part TEXT, run_id TEXT, at REAL, PRIMARY KEY (kind, key))")
            self._db.execute("CREATE TABLE IF NOT EXISTS parts (part TEXT PRIMARY KEY, rows INTEGER,"
                             " run_id TEXT, at REAL)")

    def _tx(self):
        db = self._db

        class _Tx:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, exc_type, exc, tb):
                db.execute("COMMIT" if exc_type is None else "ROLLBACK")

        return _Tx()

    def seen_any(self, urls=(), hashes=()) -> bool:
        keys = [(KIND_URL, k) for k in {url_key(u) for u in urls} if k]
        keys += [(KIND_HASH, h) for h in set(hashes) if h]
        for kind, key in keys:
            if self._db.execute("SELECT 1 FROM seen WHERE kind=? AND key=?", (kind, key)).fetchone():
                return True
        return False

    def commit_part(self, part, rows, urls, hashes, run_id) -> None:
        now = time.time()
        records = [(KIND_URL, k, part, run_id, now) for k in {url_key(u) for u in urls} if k]
        records += [(KIND_HASH, h, part, run_id, now) for h in set(hashes) if h]
        with self._tx():
            self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?, ?)", records)
            self._db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?)", (part, rows, run_id, now))

    def replace_parts(self, old, new, run_id) -> None:
        now = time.time()
        old = [p for p in old if p not in new]
        target = next(iter(new), None)
        with self._tx():
            for part, rows in new.items():
                self._db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?)", (part, rows, run_id, now))
            self._db.executemany("DELETE FROM parts WHERE part=?", [(part,) for part in old])
            # one pass over `seen` (no index on part): the keys now live in the compacted file(s)
            self._db.execute("UPDATE seen SET part=? WHERE part IN (SELECT value FROM json_each(?))",
                             (target, json.dumps(old)))

    def has_part(self, part) -> bool:
        return self._db.execute("SELECT 1 FROM parts WHERE part=?", (part,)).fetchone() is not None

    def counts(self) -> dict:
        out = {kind: n for kind, n in self._db.execute("SELECT kind, count(*) FROM seen GROUP BY kind")}
        out["parts"] = self._db.execute("SELECT count(*) FROM parts").fetchone()[0]
        return out

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass


def open_state_store(uri: str) -> StateStore:
    """`sqlite:///path/state.sqlite`, a plain path, or `redis://HOST:PORT/DB` (crawler.redisstate)."""
    if uri.startswith(("redis://", "rediss://", "unix://")):
        from .redisstate import RedisStateStore

        return RedisStateStore.from_url(uri)
    if uri.startswith("sqlite:///"):
        return SQLiteStateStore(uri[len("sqlite:///"):])  # sqlite:////abs/path -> /abs/path
    if "://" in uri:
        raise ValueError(f"no state store backend for {uri!r} (supported: sqlite:///PATH or a path)")
    return SQLiteStateStore(uri)
