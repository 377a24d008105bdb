"""Scrapy settings for newsclean's crawler: polite defaults for real news sites.

Tests and the offline demo pass their own overrides (no AutoThrottle delay, short time-outs);
see crawler.runner.LOCAL_SETTINGS.
"""
import os

BOT_NAME = "newsclean"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are: set NEWSCLEAN_USER_AGENT (setting or environment) to a UA with your contact.
NEWSCLEAN_USER_AGENT = os.environ.get(
    "NEWSCLEAN_USER_AGENT",
    "newsclean/0.1 (news research crawler; set NEWSCLEAN_USER_AGENT to name yourself and a contact)",
)
USER_AGENT = NEWSCLEAN_USER_AGENT

# Politeness.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # pages above this are cancelled and become too_large rows
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
NEWSCLEAN_MAX_BYTES = DOWNLOAD_MAXSIZE  # what clean() accepts

# Retries with exponential back-off (crawler.middlewares.BackoffRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds; doubles on each retry (+-25% jitter)
RETRY_BACKOFF_MAX = 120.0

# HTTP cache: off; switch on with -s HTTPCACHE_ENABLED=1 (for development).
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 6 * 3600
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 429]

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SeenFilterMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.BoundedCompressionMiddleware": 590,
    "crawler.middlewares.RedirectGuardMiddleware": 650,  # sees 3xx before RedirectMiddleware (600)
}
# A sitemap may hold 50,000 URLs and 50 MB uncompressed (sitemaps.org): its own size limit,
# applied to the download and to inflating it; deeper sitemap-index chains than this are refused.
NEWSCLEAN_SITEMAP_MAXSIZE = 50 * 1024 * 1024
NEWSCLEAN_SITEMAP_DEPTH = 4
ITEM_PIPELINES = {
    "crawler.pipelines.CleanPipeline": 100,
    "crawler.pipelines.DatasetPipeline": 200,
}
FEED_EXPORTERS = {"parquet": "crawler.exporters.ParquetItemExporter"}
FEED_STORAGES = {"": "crawler.exporters.AtomicFileFeedStorage",
                 "file": "crawler.exporters.AtomicFileFeedStorage"}
SPIDER_CONTRACTS = {"crawler.contracts.MirrorContract": 10, "crawler.contracts.CleansContract": 20}

# The dataset (crawler.dataset): off for plain `scrapy crawl` (use -O/FEEDS), on for
# `newsclean crawl` and scheduled runs (-s NEWSCLEAN_DATASET_ENABLED=1).
NEWSCLEAN_DATASET_ENABLED = False
NEWSCLEAN_OUTPUT = os.environ.get("NEWSCLEAN_OUTPUT", "output")  # dataset: <output>/articles
NEWSCLEAN_DATASET_DIR = None  # overrides <output>/articles
NEWSCLEAN_PART_ROWS = 5000  # rotate a part file after this many rows ...
NEWSCLEAN_PART_SECONDS = 300  # ... or this many seconds (bounds what a kill can lose)
NEWSCLEAN_ROW_GROUP_SIZE = 500
# Template health: the crawl warns that a site may have been redesigned when more than this share
# of its pages matched no template of its cleaner (they went to the generic path) …
NEWSCLEAN_FALLBACK_WARN_SHARE = 0.20
NEWSCLEAN_FALLBACK_WARN_MIN_PAGES = 20  # … over at least this many of its pages

# Redis mode (crawler.cluster): many workers share one crawl and one dataset. Off unless a URL is
# given (newsclean crawl --redis URL, or NEWSCLEAN_REDIS_URL): then the state store, the request
# queue and the duplicate filter live in Redis. One prefix (or Redis DB) per dataset.
NEWSCLEAN_REDIS_URL = os.environ.get("NEWSCLEAN_REDIS_URL") or None
NEWSCLEAN_REDIS_PREFIX = os.environ.get("NEWSCLEAN_REDIS_PREFIX", "newsclean")
NEWSCLEAN_CLAIM_TTL = 60  # seconds a dead worker's claims live before others fetch its requests
NEWSCLEAN_REDIS_RETRY_SECONDS = 60  # how long a lost Redis connection is retried (a restart)
ADDONS = {"crawler.cluster.ClusterAddon": 0}

# Cleaning runs in worker processes (crawler.cleanpool) so that Scrapy's one thread keeps
# fetching: "auto" = one worker per core on machines with more than one core (at most 4); 0 = clean
# in the crawl process.
NEWSCLEAN_CLEAN_WORKERS = os.environ.get("NEWSCLEAN_CLEAN_WORKERS", "auto")
# Seconds a page may take in a cleaning worker: past it the worker is killed and replaced and the
# page becomes a `timeout` row. 0 = no limit. No limit either with NEWSCLEAN_CLEAN_WORKERS=0
# (cleaning in the crawl process, which cannot be interrupted).
NEWSCLEAN_TIME_LIMIT = float(os.environ.get("NEWSCLEAN_TIME_LIMIT", "30"))

# One page yields one item: Scrapy's default of 100 concurrent items only adds asyncio tasks.
CONCURRENT_ITEMS = 8
# Scrapy's remote-control extension opens a code-running server and leaves token files behind
# after killed runs; a scheduled crawler has no use for it.
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
