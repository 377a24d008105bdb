"""The claims of Redis mode (crawler.claims) on a real redis-server: one worker per request, an
expired claim reaped back into the queue, one writer per article under two URLs."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from redishelp import redis_server  # noqa: E402,F401 - the fixture

from crawler.claims import ClaimRegistry, claim_id  # noqa: E402
from crawler.redisstate import RedisStateStore, redis_client  # noqa: E402

QUEUE, INFLIGHT = "t:run:news:requests", "t:run:news:inflight"


def member(url: str) -> bytes:
    return claim_id(url).encode() + b"request for " + url.encode()


def until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_request_is_claimed_by_one_worker_and_reaped_when_its_claim_expires(redis_server):
    client = redis_client(redis_server.url)
    a = ClaimRegistry(client, "t", "hostA-1", ttl=1.0)
    b = ClaimRegistry(client, "t", "hostB-2", ttl=1.0)
    url = "https://news.example.org/world/1000001-a"
    client.zadd(QUEUE, {member(url): 0})
    client.zadd(QUEUE, {member(url) + b" (queued twice)": 1})
    got, dropped = a.pop_claim(QUEUE, INFLIGHT)
    assert got == member(url) and dropped == 0
    assert b.pop_claim(QUEUE, INFLIGHT) == (None, 1), "the second copy is dropped: A holds the claim"
    assert b.expired(INFLIGHT) == []
    # A dies (no renewal): its claim expires, B reaps the request back into the queue
    assert until(lambda: b.expired(INFLIGHT) == [claim_id(url)])
    assert b.reap(INFLIGHT, QUEUE, b.expired(INFLIGHT)) == 1
    assert b.reap(INFLIGHT, QUEUE, [claim_id(url)]) == 0, "one reaper wins"
    got, _ = b.pop_claim(QUEUE, INFLIGHT)
    assert got == member(url)
    # B's row is committed: the claim and the in-flight entry go
    assert b.release([url]) == 1
    assert client.hlen(INFLIGHT) == 0 and not client.keys("t:claim:*")
    assert a.renew() == 1, "A finds out that it lost its claim"
    assert b.renew() == 0


def test_a_live_worker_keeps_its_claims_by_renewing_them(redis_server):
    client = redis_client(redis_server.url)
    a = ClaimRegistry(client, "t", "hostA-1", ttl=5.0)  # renewed every 1.7 s
    url = "https://x.example/1-a"
    client.zadd(QUEUE, {member(url): 0})
    a.start()
    try:
        a.pop_claim(QUEUE, INFLIGHT)
        deadline = time.monotonic() + 6.0  # longer than the ttl
        while time.monotonic() < deadline:
            assert a.expired(INFLIGHT) == [], "a live worker's claim expired"
            time.sleep(0.2)
    finally:
        a.stop()
    assert a.lost == 0 and client.get("t:claim:" + claim_id(url)) == b"hostA-1"


def test_one_writer_for_an_article_under_two_urls(redis_server):
    client = redis_client(redis_server.url)
    a = ClaimRegistry(client, "t", "hostA-1", ttl=1.0)
    b = ClaimRegistry(client, "t", "hostB-2", ttl=1.0)
    canonical, content = "https://news.example.org/a-story", "f" * 64
    assert a.claim_row(["https://news.example.org/a-story?utm=x", canonical], [content])
    assert not b.claim_row(["https://news.example.org/amp/a-story", canonical], [content])
    assert not b.claim_row(["https://other.example.org/copy"], [content]), "same text, another URL"
    # A commits its part: the state says seen, the row claims go
    state = RedisStateStore(client, "t")
    state.commit_part("crawl_date=x/site=y/part-1.parquet", 1, [canonical], [content], "run")
    a.release([canonical], [content])
    assert state.seen_any(hashes=[content])
    assert b.claim_row(["https://other.example.org/copy"], [content])
    b.release(["https://other.example.org/copy"], [content])
    # a dead writer's row claims expire
    assert a.claim_row(["https://news.example.org/b"], ["e" * 64])
    assert until(lambda: b.claim_row(["https://news.example.org/b"], ["e" * 64]))


def test_redis_state_store_commits_parts_and_keys_together(redis_server):
    state = RedisStateStore.from_url(redis_server.url, "s")
    assert not state.seen_any(["https://a.example/x"], ["h1"])
    state.commit_part("p/part-1.parquet", 2, ["HTTPS://A.example/x#frag", "https://a.example/y"], ["h1"], "r")
    assert state.seen_any(["https://a.example/x"]) and state.seen_any(hashes=["h1"])
    assert not state.seen_any(["https://a.example/z"], ["h2"])
    assert state.has_part("p/part-1.parquet") and not state.has_part("p/part-2.parquet")
    state.replace_parts(["p/part-1.parquet"], {"p/part-c.parquet": 2}, "compact")
    assert state.has_part("p/part-c.parquet") and not state.has_part("p/part-1.parquet")
    assert state.seen_any(["https://a.example/y"]), "compaction keeps the keys seen"
    assert state.counts() == {"url": 2, "hash": 1, "parts": 1}
    state.close()
