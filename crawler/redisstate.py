"""The crawl state in Redis: the `StateStore` of crawler.state for many workers on many machines.

Keys (PREFIX = NEWSCLEAN_REDIS_PREFIX, default "newsclean"; one prefix or Redis DB per dataset):

    PREFIX:state:seen:url    SET   URLs in the dataset (url_key form), as 16-byte digests
    PREFIX:state:seen:hash   SET   content hashes in the dataset, as 16-byte digests
    PREFIX:state:parts       HASH  committed part (path relative to the dataset) -> JSON {rows, run_id, at}

Members are blake2b digests of 16 bytes, not the URLs: a million URLs of ~90 characters cost
69 MB instead of 142 MB (bench/cluster.py, INFO memory), and two different URLs share a digest
with a probability of about n**2 / 2**129 (about 1e-21 for a billion URLs). The SQLite store keeps the
plain keys; this one cannot list them back (it does not need to).

`commit_part()` is one MULTI/EXEC transaction: the keys of a part and the part become visible to
every worker together, or not at all.

The client retries a lost connection for NEWSCLEAN_REDIS_RETRY_SECONDS (default 60), so a Redis
restart pauses the crawl instead of ending it; `check_reachable()` is the quick start-up check.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable

from .state import KIND_HASH, KIND_URL, StateStore, url_key

DEFAULT_PREFIX = "newsclean"
DIGEST_SIZE = 16


def digest(value: str) -> bytes:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()


def redis_client(url: str, *, retry_seconds: float = 60.0, timeout: float = 30.0):
    """A Redis client that rides out a restart of the server: connection errors and time-outs are
    retried with exponential back-off (0.05 s doubling, capped at 1 s) for about retry_seconds."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError
    from redis.retry import Retry

    retries = max(0, int(retry_seconds))  # ~1 s per retry once the back-off is capped
    return redis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=min(timeout, 5.0),
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries),
        retry_on_error=[ConnectionError, TimeoutError, BusyLoadingError], health_check_interval=0)


def check_reachable(url: str, timeout: float = 3.0) -> str | None:
    """None when a Redis server answers PING at `url`, else one line saying why not."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        client.ping()
        client.close()
    except ValueError as exc:  # a malformed URL
        return f"not a Redis URL: {url} ({exc})"
    except redis.exceptions.RedisError as exc:
        return f"cannot reach Redis at {url}: {exc}"
    return None


class RedisStateStore(StateStore):
    def __init__(self, client, prefix: str = DEFAULT_PREFIX):
        self.client = client
        self.prefix = prefix
        self.url_key_name = f"{prefix}:state:seen:{KIND_URL}"
        self.hash_key_name = f"{prefix}:state:seen:{KIND_HASH}"
        self.parts_key = f"{prefix}:state:parts"

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, retry_seconds: float = 60.0):
        return cls(redis_client(url, retry_seconds=retry_seconds), prefix)

    @staticmethod
    def _url_digests(urls: Iterable[str | None]) -> list[bytes]:
        return [digest(k) for k in {url_key(u) for u in urls} if k]

    @staticmethod
    def _hash_digests(hashes: Iterable[str | None]) -> list[bytes]:
        return [digest(h) for h in set(hashes) if h]

    def seen_any(self, urls=(), hashes=()) -> bool:
        url_digests, hash_digests = self._url_digests(urls), self._hash_digests(hashes)
        if not url_digests and not hash_digests:
            return False
        pipe = self.client.pipeline(transaction=False)
        if url_digests:
            pipe.smismember(self.url_key_name, url_digests)
        if hash_digests:
            pipe.smismember(self.hash_key_name, hash_digests)
        return any(any(flags) for flags in pipe.execute())

    def commit_part(self, part, rows, urls, hashes, run_id) -> None:
        url_digests, hash_digests = self._url_digests(urls), self._hash_digests(hashes)
        pipe = self.client.pipeline(transaction=True)
        for start in range(0, len(url_digests), 5000):
            pipe.sadd(self.url_key_name, *url_digests[start:start + 5000])
        for start in range(0, len(hash_digests), 5000):
            pipe.sadd(self.hash_key_name, *hash_digests[start:start + 5000])
        pipe.hset(self.parts_key, part, json.dumps({"rows": rows, "run_id": run_id, "at": time.time()}))
        pipe.execute()

    def replace_parts(self, old: Iterable[str], new: dict[str, int], run_id: str) -> None:
        """Compaction: the parts `old` are gone, `new` (part -> rows) hold their rows now. The
        keys stay seen (they are in the new parts)."""
        pipe = self.client.pipeline(transaction=True)
        for part, rows in new.items():
            pipe.hset(self.parts_key, part, json.dumps({"rows": rows, "run_id": run_id, "at": time.time()}))
        old = [p for p in old if p not in new]
        if old:
            pipe.hdel(self.parts_key, *old)
        pipe.execute()

    def has_part(self, part) -> bool:
        return bool(self.client.hexists(self.parts_key, part))

    def counts(self) -> dict:
        pipe = self.client.pipeline(transaction=False)
        pipe.scard(self.url_key_name).scard(self.hash_key_name).hlen(self.parts_key)
        urls, hashes, parts = pipe.execute()
        return {KIND_URL: urls, KIND_HASH: hashes, "parts": parts}

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass
