"""Redis mode: many `newsclean crawl` workers, on one machine or many, share one crawl.

Turned on by `newsclean crawl --redis redis://HOST:PORT/DB` or NEWSCLEAN_REDIS_URL (setting or
environment); without it nothing here runs and the crawl is the single-process one (SQLite state).
`ClusterAddon` (in ADDONS) switches Scrapy to:

- scrapy-redis's scheduler and dupefilter, with keys of the current *cluster run*, persistent: a
  restarted worker joins the run and resumes its queue. `ClusterScheduler` pops through claims
  (crawler.claims) and keeps the requests it holds a claim for (retries, redirects) in a local
  queue, so that they never go to another worker;
- the Redis state store (crawler.redisstate): seen URLs, content hashes, committed parts;
- `SeedOnceMiddleware`: only the first worker of a run reads robots.txt, sitemaps and feeds (a
  `SET NX` seeder lock per spider); the others take their requests from the shared queue;
- `ClusterCoordinator`: at idle, commits the open parts, releases claims of finished requests,
  puts requests of dead workers back into the queue (after recording parts they had renamed but
  not recorded), and keeps the worker open until the run is over: seeded, queue empty, nothing in
  flight. The worker that sees that first ends the run (a new run starts with the next worker).

Keys (PREFIX = NEWSCLEAN_REDIS_PREFIX): `PREFIX:run:<spiders>` the current run id;
`PREFIX:<run>:<spider>:requests|dupefilter|inflight|seeder|seeded`, `PREFIX:<run>:done`;
`PREFIX:claim:<id>`; `PREFIX:state:*` (crawler.redisstate).

Each worker writes its own parts and manifest: its run id is `<cluster run>-<host>-<pid>`, so
part names carry the worker, and `crawl_run_id` in the rows says which worker wrote them.
"""
from __future__ import annotations

import logging
import threading
from collections import deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from .claims import CLAIM_META, ID_LENGTH, ClaimRegistry, claim_id_of_dict, owns_temp_file, worker_token
from .dataset import new_run_id
from .redisstate import DEFAULT_PREFIX, RedisStateStore, redis_client

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_WORKERS: dict[tuple, "Worker"] = {}

_FINISH_RUN = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""


class Worker:
    """This process's membership of a cluster run: Redis client, claims, run id."""

    def __init__(self, url: str, prefix: str, spiders: list[str], ttl: float, retry_seconds: float):
        self.url = url
        self.prefix = prefix
        self.spiders = sorted(spiders)
        self.client = redis_client(url, retry_seconds=retry_seconds)
        self.token = worker_token()
        self.claims = ClaimRegistry(self.client, prefix, self.token, ttl)
        self.run_key = f"{prefix}:run:{'+'.join(self.spiders)}"
        self.client.set(self.run_key, new_run_id(), nx=True)
        self.run = self.client.get(self.run_key).decode()
        self.run_id = f"{self.run}-{self.token}"
        self._finish = self.client.register_script(_FINISH_RUN)
        self.state = RedisStateStore(self.client, prefix)
        log.info("cluster: worker %s joined run %s (%s)", self.token, self.run, self.run_key)

    def key(self, spider: str, what: str) -> str:
        return f"{self.prefix}:{self.run}:{spider}:{what}"

    def run_over(self) -> bool:
        current = self.client.get(self.run_key)
        return current is None or current.decode() != self.run

    # -- seeding ----------------------------------------------------------------------------
    def try_seed(self, spider: str) -> bool:
        if self.client.exists(self.key(spider, "seeded")):
            return False
        return bool(self.client.set(self.key(spider, "seeder"), self.token, nx=True, px=self.claims.ttl_ms))

    def mark_seeded(self, spider: str) -> None:
        self.client.set(self.key(spider, "seeded"), self.token)

    def seeded(self, spider: str) -> bool:
        return bool(self.client.exists(self.key(spider, "seeded")))

    # -- the end of the run -----------------------------------------------------------------
    def pending(self, spider: str) -> tuple[int, int]:
        pipe = self.client.pipeline(transaction=False)
        pipe.zcard(self.key(spider, "requests")).hlen(self.key(spider, "inflight"))
        queued, inflight = pipe.execute()
        return int(queued), int(inflight)

    def spider_done(self, spider: str) -> None:
        done_key = f"{self.prefix}:{self.run}:done"
        self.client.sadd(done_key, spider)
        if self.client.scard(done_key) >= len(self.spiders):
            if self._finish(keys=[self.run_key], args=[self.run]):
                log.info("cluster: run %s is over (ended by %s)", self.run, self.token)
                keys = [self.key(s, w) for s in self.spiders
                        for w in ("requests", "dupefilter", "inflight", "seeder", "seeded")]
                self.client.unlink(*keys, done_key)

    def spider_is_done(self, spider: str) -> bool:
        return bool(self.client.sismember(f"{self.prefix}:{self.run}:done", spider))


def _settings_value(settings, name: str, default=None):
    value = settings.get(name)
    return default if value in (None, "") else value


def worker_for(settings) -> Worker | None:
    """The process's Worker for these settings (created on first use), or None without Redis."""
    url = _settings_value(settings, "NEWSCLEAN_REDIS_URL")
    if not url:
        return None
    prefix = _settings_value(settings, "NEWSCLEAN_REDIS_PREFIX", DEFAULT_PREFIX)
    spiders = sorted(settings.getlist("NEWSCLEAN_CLUSTER_SPIDERS") or [])
    key = (url, prefix, tuple(spiders))
    with _LOCK:
        worker = _WORKERS.get(key)
        if worker is None:
            worker = _WORKERS[key] = Worker(url, prefix, spiders,
                                            ttl=settings.getfloat("NEWSCLEAN_CLAIM_TTL", 60.0),
                                            retry_seconds=settings.getfloat("NEWSCLEAN_REDIS_RETRY_SECONDS", 60.0))
        return worker


def prepare(settings, spiders: list[str]) -> Worker | None:
    """Called by crawler.runner before the crawlers exist: join (or start) the cluster run of
    these spiders and give this process its worker run id."""
    if not _settings_value(settings, "NEWSCLEAN_REDIS_URL"):
        return None
    settings.set("NEWSCLEAN_CLUSTER_SPIDERS", sorted(spiders), priority="cmdline")
    worker = worker_for(settings)
    settings.set("NEWSCLEAN_RUN_ID", worker.run_id, priority="cmdline")
    return worker


def dataset_options(settings) -> dict:
    """Keyword arguments of DatasetWriter in Redis mode ({} otherwise)."""
    worker = worker_for(settings)
    if worker is None:
        return {}
    return {"state": worker.state, "temp_owner": owns_temp_file, "on_commit": worker.claims.release}


class ClusterAddon:
    """Scrapy add-on (settings.ADDONS): switches a crawler to Redis mode when
    NEWSCLEAN_REDIS_URL is set (also for plain `scrapy crawl` and scrapyd)."""

    def __init__(self, crawler=None):
        self.spider_name = getattr(getattr(crawler, "spidercls", None), "name", None)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def update_settings(self, settings):
        if not _settings_value(settings, "NEWSCLEAN_REDIS_URL"):
            return
        if not settings.getlist("NEWSCLEAN_CLUSTER_SPIDERS") and self.spider_name:
            # scrapy crawl / scrapyd: a run of this one spider
            settings.set("NEWSCLEAN_CLUSTER_SPIDERS", [self.spider_name], priority="cmdline")
        worker = worker_for(settings)
        settings.set("NEWSCLEAN_RUN_ID", worker.run_id, priority="cmdline")
        settings.set("SCHEDULER", "crawler.cluster.ClusterScheduler", priority="cmdline")
        settings.set("SCHEDULER_QUEUE_CLASS", "crawler.cluster.ClaimQueue", priority="cmdline")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
        settings.set("SCHEDULER_PERSIST", True, priority="cmdline")
        settings.set("REDIS_URL", worker.url, priority="cmdline")
        prefix = f"{worker.prefix}:{worker.run}"
        settings.set("SCHEDULER_QUEUE_KEY", prefix + ":%(spider)s:requests", priority="cmdline")
        settings.set("SCHEDULER_DUPEFILTER_KEY", prefix + ":%(spider)s:dupefilter", priority="cmdline")
        middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
        middlewares["crawler.cluster.SeedOnceMiddleware"] = 5
        settings.set("SPIDER_MIDDLEWARES", middlewares, priority="cmdline")
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        pipelines["crawler.cluster.RowClaimPipeline"] = 190  # just before DatasetPipeline (200)
        settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.cluster.ClusterCoordinator"] = 0
        settings.set("EXTENSIONS", extensions, priority="cmdline")


class RowClaimPipeline:
    """Before the dataset writes a row (DatasetPipeline), claim its URLs and content hash, so
    that two workers that fetched the same article under two URLs do not both write it."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.worker = worker_for(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        from scrapy.exceptions import DropItem

        from .context import CrawlContext
        from .dataset import is_permanent

        if not isinstance(item, dict) or "status" not in item or not is_permanent(item):
            return item
        urls = [item.get("url"), item.get("canonical_url"), item.get("final_url")]
        if self.worker.claims.claim_row(urls, [item.get("content_hash")]):
            return item
        CrawlContext.of(self.crawler).skip("duplicate")
        try:
            raise DropItem(f"being written by another worker: {item.get('canonical_url') or item.get('url')}",
                           log_level="INFO")
        except TypeError:  # Scrapy < 2.13
            raise DropItem(f"being written by another worker: {item.get('url')}") from None


class ClaimQueue(PriorityQueue):
    """scrapy-redis's priority queue (a sorted set) whose members start with the request's claim
    id, popped only through a claim (crawler.claims.ClaimRegistry.pop_claim)."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.worker = worker_for(spider.crawler.settings)
        self.inflight_key = self.key.rsplit(":", 1)[0] + ":inflight"
        self.stats = spider.crawler.stats

    def _encode_request(self, request):
        try:
            obj = request.to_dict(spider=self.spider)
        except TypeError:
            obj = request.to_dict()
        return claim_id_of_dict(obj).encode() + self.serializer.dumps(obj)

    def pop(self, timeout=0):
        member, dropped = self.worker.claims.pop_claim(self.key, self.inflight_key)
        if dropped:
            self.stats.inc_value("newsclean/cluster/claimed_elsewhere", dropped)
        if member is None:
            return None
        request = self._decode_request(member[ID_LENGTH:])
        request.meta[CLAIM_META] = member[:ID_LENGTH].decode()
        self.stats.inc_value("newsclean/cluster/claimed")
        return request


class ClusterScheduler(Scheduler):
    """scrapy-redis's scheduler; requests this worker already holds a claim for (a retry, a
    redirect) stay in a local queue: in the shared one, another worker would find them claimed."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = cls.from_settings(crawler.settings)
        instance.server = worker_for(crawler.settings).client  # the client that rides out restarts
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.local = deque()
        return instance

    def open(self, spider):
        from scrapy_redis.dupefilter import RFPDupeFilter

        key = self.dupefilter_key % {"spider": spider.name}
        self.df = RFPDupeFilter(self.server, key=key, debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        super().open(spider)

    def enqueue_request(self, request):
        if request.meta.get(CLAIM_META):
            self.local.append(request)
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/local")
            return True
        return super().enqueue_request(request)

    def next_request(self):
        if self.local:
            return self.local.popleft()
        return super().next_request()

    def has_pending_requests(self):
        return bool(self.local) or len(self) > 0


class SeedOnceMiddleware:
    """Only the run's first worker reads the spider's start requests (robots.txt, sitemaps,
    feeds); the others get their work from the shared queue."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        spider = self.crawler.spider
        worker = worker_for(self.crawler.settings)
        if worker is None:
            async for request in start:
                yield request
            return
        if not worker.try_seed(spider.name):
            log.info("cluster: %s joins run %s; another worker reads the sitemaps and feeds",
                     spider.name, worker.run)
            return
        log.info("cluster: %s seeds run %s", spider.name, worker.run)
        async for request in start:
            yield request
        worker.mark_seeded(spider.name)


class ClusterCoordinator:
    """Extension: claims renewal while the spider runs; the work done at idle (see the module
    docstring); claims released when the spider finishes."""

    IDLE = "newsclean/cluster/idle_checks"

    def __init__(self, crawler):
        self.crawler = crawler
        self.worker = worker_for(crawler.settings)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _writer(self):
        from .context import CrawlContext

        return CrawlContext.of(self.crawler).writer

    def spider_opened(self, spider):
        self.worker.claims.start()

    def spider_idle(self, spider):
        worker, name = self.worker, spider.name
        self.crawler.stats.inc_value(self.IDLE)
        writer = self._writer()
        if writer is not None:
            writer.close()  # commit open parts: their rows become seen, their claims released
        inflight = worker.key(name, "inflight")
        worker.claims.release_all(inflight)  # what is left ended without a row
        worker.claims.release_all(worker.claims.row_bucket)  # rows claimed, then not written
        if worker.run_over() or worker.spider_is_done(name):
            return  # the run is over: let the spider close
        expired = worker.claims.expired(inflight)
        if expired:
            if writer is not None:
                writer.recover()  # parts a dead worker renamed but had not recorded
            moved = worker.claims.reap(inflight, worker.key(name, "requests"), expired)
            if moved:
                log.info("cluster: %d requests of dead workers back in the queue", moved)
                self.crawler.stats.inc_value("newsclean/cluster/reaped", moved)
            raise DontCloseSpider
        if not worker.seeded(name):
            if worker.try_seed(name):  # the seeder died before it had queued its requests
                log.info("cluster: %s takes over seeding run %s", name, worker.run)
                spider._discovering = True
                for request in spider.discovery_requests():
                    if request is not None:
                        self.crawler.engine.crawl(request)
                worker.mark_seeded(name)
            raise DontCloseSpider
        queued, inflight_n = worker.pending(name)
        if queued or inflight_n:
            raise DontCloseSpider
        if getattr(spider, "_discovering", False) and not getattr(spider, "_sections_done", True):
            raise DontCloseSpider  # the spider's own idle handler queues its section pages now
        worker.spider_done(name)

    def spider_closed(self, spider, reason):
        writer = self._writer()
        if writer is not None:
            writer.close()
        self.worker.claims.release_all(self.worker.claims.row_bucket)  # the writer is closed
        if reason == "finished":
            self.worker.claims.release_all(self.worker.key(spider.name, "inflight"))
        # otherwise (shutdown, a crash): the claims expire and other workers fetch those again
        self.worker.claims.stop()
