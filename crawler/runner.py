"""Run spiders in this process (Scrapy's reactor starts once per process: one call per process)."""
from __future__ import annotations

import json
import os
from pathlib import Path

# Settings for crawling a server on this machine (tests, the demo): no politeness delays, fast
# time-outs and retries. Never use them against real sites.
LOCAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_TIMES": 1,
    "RETRY_BACKOFF_BASE": 0.1,
    "RETRY_BACKOFF_MAX": 0.5,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


PROJECT = Path(__file__).resolve().parent.parent


def subprocess_env() -> dict:
    """The environment for a crawl run as a child process from a checkout (tests, benchmarks):
    this project importable, no run id inherited from the parent, no warnings on stderr."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NEWSCLEAN_RUN_ID", None)
    env["PYTHONWARNINGS"] = "ignore"
    return env


def project_settings(overrides: dict | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_spiders(spiders: list[str], *, settings: dict | None = None,
                spider_args: dict | None = None, per_spider_args: dict | None = None) -> dict:
    """Runs the spiders together (one process, one run id, one manifest); returns a summary:
    {"run_id", "manifest": path or None, "failed": [spider names whose crawl raised]}."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiderloader import SpiderLoader

    from .context import dataset_dir, process_run_id
    from .dataset import check_run_id

    project = project_settings(settings)
    if project.get("NEWSCLEAN_REDIS_URL"):  # Redis mode: join the cluster run (crawler.cluster)
        from .cluster import prepare

        prepare(project, spiders)
    run_id = check_run_id(project.get("NEWSCLEAN_RUN_ID") or process_run_id())
    project.set("NEWSCLEAN_RUN_ID", run_id, priority="cmdline")
    loader = SpiderLoader.from_settings(project)
    known = set(loader.list())
    unknown = [s for s in spiders if s not in known]
    if unknown:
        raise ValueError(f"unknown spider(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    process = CrawlerProcess(project)
    failed: list[str] = []
    jobdir = project.get("JOBDIR")
    for name in spiders:
        kwargs = dict(spider_args or {})
        kwargs.update((per_spider_args or {}).get(name, {}))
        crawler = process.create_crawler(name)
        if jobdir and len(spiders) > 1:
            # each spider keeps its own queue and seen-requests file: JOBDIR/<spider>
            crawler.settings.set("JOBDIR", str(Path(jobdir) / name), priority=50)  # > cmdline
        deferred = process.crawl(crawler, **kwargs)
        deferred.addErrback(lambda failure, n=name: failed.append(n) or None)
    process.start()
    manifest = None
    if project.getbool("NEWSCLEAN_DATASET_ENABLED"):
        path = dataset_dir(project) / "_manifests" / f"{run_id}.json"
        manifest = str(path) if path.exists() else None
        if manifest and load_manifest(path).get("write_errors"):
            failed.extend(n for n in spiders if n not in failed)  # parts were lost: not a success
    return {"run_id": run_id, "manifest": manifest, "failed": failed}


def load_manifest(path: str | os.PathLike) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
