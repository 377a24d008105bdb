"""Claims: which worker is fetching which request, so that each article is fetched by one worker
and a dead worker's requests are fetched again by the others.

A request leaves the shared queue only through `pop_claim` (one Lua script, so atomic): it is
removed from the queue, its claim `PREFIX:claim:<id>` is set with `SET NX PX ttl` (value: the
worker's token, host-pid) and the request is parked in the run's in-flight hash. When the claim is
already held by another worker, the request is a duplicate of one in flight and is dropped.

    claimed ──(the part holding its row recorded: DatasetWriter.on_commit)──> released
       │    ──(request ended without a row, seen at the worker's next idle)──> released
       └──(the worker dies: no renewal, the claim expires after ttl)──> reaped: back in the queue

The worker renews its claims every ttl/3 from a thread (`renew`). Any idle worker reaps: for an
in-flight request whose claim has expired, `reap` moves it back into the queue (atomically: one
reaper wins). Guarantee: a live worker's claims never expire unless it stops renewing for longer
than the ttl (the process frozen, or cut off from Redis, for a whole ttl: NEWSCLEAN_CLAIM_TTL,
default 60 s); only then can an article be fetched by two workers.

The claim id of an article is the sha1 of its real-site URL (url_key form), the same key the
state store marks seen, so releasing on commit needs nothing but the part's URLs. A second kind of
claim covers the same article under two URLs: before a row is written, its canonical URLs and
content hash are claimed (`claim_row`); a worker whose row's claim is held by another live worker
drops the row as a duplicate (should that worker die, its fetch claim expires and the article is
fetched again, so the article is not lost).
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import threading

from .state import url_key

log = logging.getLogger(__name__)

CLAIM_META = "newsclean_claim"  # request.meta: the claim id this worker holds for the request
ID_LENGTH = 40  # hex sha1
REAPED_SCORE = -1000  # reaped requests go to the front of the queue (scores are -priority)
_SAFE = re.compile(r"[^A-Za-z0-9.]+")

_POP_CLAIM = """
local dropped = 0
for i = 1, tonumber(ARGV[4]) do
  local m = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not m then return {'', dropped} end
  redis.call('ZREM', KEYS[1], m)
  local id = string.sub(m, 1, 40)
  if redis.call('SET', ARGV[3] .. id, ARGV[1], 'NX', 'PX', ARGV[2]) then
    redis.call('HSET', KEYS[2], id, m)
    return {m, dropped}
  end
  dropped = dropped + 1
end
return {'', dropped}
"""

_RELEASE = """
local n = 0
for i = 3, #ARGV do
  local k = ARGV[2] .. ARGV[i]
  if redis.call('GET', k) == ARGV[1] then
    redis.call('DEL', k)
    redis.call('HDEL', KEYS[1], ARGV[i])
    n = n + 1
  end
end
return n
"""

_CLAIM_ROW = """
for i = 4, #ARGV do
  local v = redis.call('GET', ARGV[2] .. ARGV[i])
  if v and v ~= ARGV[1] then return 0 end
end
for i = 4, #ARGV do
  redis.call('SET', ARGV[2] .. ARGV[i], ARGV[1], 'PX', ARGV[3])
end
return 1
"""

_RENEW = """
local lost = 0
for i = 4, #ARGV do
  local k = ARGV[3] .. ARGV[i]
  if redis.call('GET', k) == ARGV[1] then
    redis.call('PEXPIRE', k, ARGV[2])
  else
    lost = lost + 1
  end
end
return lost
"""

_REAP = """
local n = 0
for i = 3, #ARGV do
  if redis.call('EXISTS', ARGV[1] .. ARGV[i]) == 0 then
    local m = redis.call('HGET', KEYS[1], ARGV[i])
    if m then
      redis.call('HDEL', KEYS[1], ARGV[i])
      redis.call('ZADD', KEYS[2], ARGV[2], m)
      n = n + 1
    end
  end
end
return n
"""


def host_tag() -> str:
    return _SAFE.sub("_", os.environ.get("NEWSCLEAN_WORKER_HOST") or socket.gethostname() or "host")


def worker_token() -> str:
    """host-pid: unique among live workers, and tells which machine a temporary file is from."""
    return f"{host_tag()}-{os.getpid()}"


def owns_temp_file(path) -> bool:
    """Only this machine's temporary files are judged by their pid (crawler.dataset.recover):
    a pid means nothing on another host of a shared filesystem."""
    return f"-{host_tag()}-" in path.name


def claim_id(request_url: str, site_url: str | None = None, article: bool = True) -> str:
    """Articles: by their real-site URL (what the state store marks seen); other requests
    (robots.txt, sitemaps, feeds, sections) by the URL fetched, in a namespace of their own."""
    if article:
        key = url_key(site_url or request_url) or request_url
    else:
        key = "discovery " + (url_key(request_url) or request_url)
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def row_claim_ids(urls, hashes) -> list[str]:
    keys = {"row url " + k for k in map(url_key, urls) if k} | {"row hash " + h for h in hashes if h}
    return sorted(hashlib.sha1(k.encode("utf-8", "surrogatepass")).hexdigest() for k in keys)


def claim_id_of_dict(obj: dict) -> str:
    """The claim id of a request serialised by Request.to_dict()."""
    meta = obj.get("meta") or {}
    return claim_id(obj["url"], meta.get("site_url"), bool(meta.get("newsclean_article")))


class ClaimRegistry:
    """This worker's claims (one per process, shared by its spiders)."""

    def __init__(self, client, prefix: str, token: str, ttl: float = 60.0):
        self.client = client
        self.prefix = prefix
        self.claim_prefix = f"{prefix}:claim:"
        self.token = token
        self.ttl_ms = max(1000, int(ttl * 1000))
        self._held: dict[str, str] = {}  # claim id -> the in-flight hash it is parked in
        self.row_bucket = f"{prefix}:row-claims"  # rows' claims are parked nowhere (never reaped)
        self._lock = threading.Lock()
        self._pop = client.register_script(_POP_CLAIM)
        self._release = client.register_script(_RELEASE)
        self._claim_row = client.register_script(_CLAIM_ROW)
        self._renew = client.register_script(_RENEW)
        self._reap = client.register_script(_REAP)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._users = 0
        self.lost = 0  # claims found expired or taken at renewal (should stay 0)

    # -- taking and giving back -----------------------------------------------------------------
    def pop_claim(self, queue_key: str, inflight_key: str, tries: int = 100) -> tuple[bytes | None, int]:
        """(the queue member claimed, or None when the queue is empty; requests dropped because
        another worker holds their claim)."""
        member, dropped = self._pop(keys=[queue_key, inflight_key],
                                    args=[self.token, self.ttl_ms, self.claim_prefix, tries])
        if not member:
            return None, int(dropped)
        with self._lock:
            self._held[member[:ID_LENGTH].decode()] = inflight_key
        return member, int(dropped)

    def ids_of(self, urls) -> dict[str, list[str]]:
        """The held claim ids among these URLs, by in-flight hash."""
        out: dict[str, list[str]] = {}
        with self._lock:
            for u in urls:
                if not u:
                    continue
                cid = claim_id(u)
                where = self._held.get(cid)
                if where is not None:
                    out.setdefault(where, []).append(cid)
        return out

    def claim_row(self, urls, hashes) -> bool:
        """Claim a row's canonical URLs and content hash before writing it: False when another
        live worker has claimed one of them (its row, of the same article, is not committed
        yet). Released with the part (`release`), or at idle when the row was not written."""
        ids = row_claim_ids(urls, hashes)
        if not ids:
            return True
        if not self._claim_row(args=[self.token, self.claim_prefix, self.ttl_ms, *ids]):
            return False
        with self._lock:
            for cid in ids:
                self._held[cid] = self.row_bucket
        return True

    def release(self, urls, hashes=()) -> int:
        """Release the claims on these URLs and hashes (the part holding their rows is recorded)."""
        released = 0
        groups = self.ids_of(urls)
        with self._lock:
            rows = [cid for cid in row_claim_ids(urls, hashes) if self._held.get(cid) == self.row_bucket]
        if rows:
            groups.setdefault(self.row_bucket, []).extend(rows)
        for inflight_key, ids in groups.items():
            with self._lock:
                for cid in ids:
                    self._held.pop(cid, None)
            for start in range(0, len(ids), 1000):
                released += int(self._release(keys=[inflight_key],
                                              args=[self.token, self.claim_prefix, *ids[start:start + 1000]]))
        return released

    def release_all(self, inflight_key: str) -> int:
        """Release every claim this worker holds in one in-flight hash (its requests are over)."""
        with self._lock:
            ids = [cid for cid, where in self._held.items() if where == inflight_key]
            for cid in ids:
                del self._held[cid]
        released = 0
        for start in range(0, len(ids), 1000):
            released += int(self._release(keys=[inflight_key],
                                          args=[self.token, self.claim_prefix, *ids[start:start + 1000]]))
        return released

    def held(self) -> int:
        with self._lock:
            return len(self._held)

    # -- dead workers ---------------------------------------------------------------------------
    def expired(self, inflight_key: str) -> list[str]:
        """In-flight requests whose claim is gone: their worker died (or stalled a whole ttl)."""
        ids = [i.decode() for i in self.client.hkeys(inflight_key)]
        if not ids:
            return []
        pipe = self.client.pipeline(transaction=False)
        for cid in ids:
            pipe.exists(self.claim_prefix + cid)
        return [cid for cid, alive in zip(ids, pipe.execute()) if not alive]

    def reap(self, inflight_key: str, queue_key: str, ids: list[str]) -> int:
        """Put the requests of expired claims back into the queue; returns how many."""
        moved = 0
        for start in range(0, len(ids), 1000):
            moved += int(self._reap(keys=[inflight_key, queue_key],
                                    args=[self.claim_prefix, REAPED_SCORE, *ids[start:start + 1000]]))
        return moved

    # -- renewal --------------------------------------------------------------------------------
    def renew(self) -> int:
        with self._lock:
            ids = list(self._held)
        lost = 0
        for start in range(0, len(ids), 1000):
            lost += int(self._renew(args=[self.token, self.ttl_ms, self.claim_prefix, *ids[start:start + 1000]]))
        return lost

    def _renew_loop(self) -> None:
        interval = self.ttl_ms / 3000.0
        while not self._stop.wait(interval):
            try:
                lost = self.renew()
            except Exception as exc:  # noqa: BLE001 - Redis away: the client retried; try again later
                log.warning("claims: renewal failed (%s); retrying in %.0f s", exc, interval)
                continue
            if lost:
                self.lost += lost
                log.warning("claims: %d claims of this worker had expired or been taken", lost)

    def start(self) -> None:
        with self._lock:
            self._users += 1
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(target=self._renew_loop, name="newsclean-claims", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._users -= 1
            thread = self._thread if self._users <= 0 else None
            if thread is not None:
                self._thread = None
        if thread is not None:
            self._stop.set()
            thread.join(timeout=5)
