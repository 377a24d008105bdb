"""`newsclean crawl` and `newsclean demo` (click commands; cleaners.cli adds them to `newsclean`).
Also runnable on their own: `python -m crawler.cli crawl rt` / `python -m crawler.cli demo`."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _pairs(values, option: str) -> dict:
    out = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        out[key.strip()] = val
    return out


def print_summary(manifest: dict, echo=click.echo) -> None:
    echo(f"run {manifest['run_id']}: spiders {', '.join(manifest['spiders'])}")
    echo(f"  started {manifest['started_at']}  finished {manifest['finished_at']}")
    echo(f"  rows written: {manifest['rows']}")
    for status, n in sorted(manifest["counts_by_status"].items()):
        echo(f"    {status:<14} {n}")
    for site, n in sorted(manifest["counts_by_site"].items()):
        echo(f"    site {site:<22} {n}")
    if manifest["skipped"]:
        echo("  skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(manifest["skipped"].items())))
    refused = manifest.get("discovery_refused") or {}
    if refused:
        echo("  sitemaps/feeds refused: " + ", ".join(f"{k} {v}" for k, v in sorted(refused.items())))
    if manifest.get("rows_refused"):
        echo(f"  rows the schema refused (written as cleaner_error rows): {manifest['rows_refused']}")
    echo(f"  files: {len(manifest['files'])} part(s) under {manifest['dataset']}")
    for failure in manifest.get("write_errors") or ():
        echo(f"  NOT WRITTEN (fetched again next run): {failure}")
    print_template_health(manifest.get("templates_by_site") or {}, manifest.get("template_warnings") or [],
                          echo)


def print_template_health(counts: dict, warnings: list[str], echo=click.echo) -> None:
    """Pages per site template, pages that fell back to the generic path, redesign warnings."""
    from cleaners import health

    if counts:
        echo("  templates:")
        for line in health.report_lines(counts):
            echo(f"    {line}")
    for warning in warnings:
        echo(f"  WARNING {warning}")


def duckdb_report(dataset: Path, echo=click.echo) -> None:
    import duckdb

    pattern = str(dataset / "**" / "*.parquet")
    if not list(dataset.glob("**/*.parquet")):
        echo("(the dataset is empty)")
        return
    con = duckdb.connect()
    src = f"read_parquet('{pattern}', hive_partitioning=true, union_by_name=true)"
    echo(f"\nDuckDB: SELECT site, status, count(*) FROM {src} GROUP BY ALL")
    for site, status, n in con.execute(f"SELECT site, status, count(*) FROM {src} GROUP BY ALL ORDER BY ALL").fetchall():
        echo(f"  {site or '-':<20} {status:<14} {n}")
    echo("\nArticles:")
    rows = con.execute(f"SELECT site, extractor, coalesce(CAST(published_date AS VARCHAR), '-'), title FROM {src} "
                       "WHERE status = 'ok' ORDER BY site, published_date").fetchall()
    for site, extractor, published, title in rows:
        echo(f"  {site:<18} {extractor:<20} {published:<10}  {title}")


@click.command("crawl")
@click.argument("spiders", nargs=-1, required=True)
@click.option("--output", "-o", "output", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Output folder; the dataset goes to OUTPUT/articles.")
@click.option("-s", "--set", "settings", multiple=True, metavar="KEY=VALUE", help="Scrapy setting (repeatable).")
@click.option("-a", "--arg", "args", multiple=True, metavar="NAME=VALUE",
              help="Spider argument (repeatable); SPIDER:NAME=VALUE for one spider only.")
@click.option("--redis", "redis_url", default=None, envvar="NEWSCLEAN_REDIS_URL", metavar="URL",
              help="Redis mode: redis://HOST:PORT/DB shared by every worker of the crawl (queue, "
                   "duplicate filter, claims, state). Default: $NEWSCLEAN_REDIS_URL, else none (SQLite).")
@click.option("--quiet", is_flag=True, help="No summary.")
def crawl(spiders, output, settings, args, redis_url, quiet):
    """Crawl SPIDERS (rt, sputnik, republicworld, news) in one process into the Parquet dataset
    OUTPUT/articles (incremental: what the dataset has is skipped). For cron and schedulers;
    pause/resume with -s JOBDIR=DIR. With --redis, any number of such workers, on any machines,
    share the crawl and write one dataset (docs/cluster.md)."""
    from .runner import load_manifest, run_spiders

    overrides = {"NEWSCLEAN_DATASET_ENABLED": True, "NEWSCLEAN_OUTPUT": output}
    overrides.update(_pairs(settings, "-s"))
    redis_url = overrides.get("NEWSCLEAN_REDIS_URL") or redis_url
    if redis_url:
        from .redisstate import check_reachable

        problem = check_reachable(redis_url)
        if problem:
            click.echo(f"newsclean crawl: {problem}", err=True)
            sys.exit(2)
        overrides["NEWSCLEAN_REDIS_URL"] = redis_url
    common, per_spider = {}, {}
    for key, value in _pairs(args, "-a").items():
        spider, sep, name = key.partition(":")
        if sep:  # -a rt:base_url=... applies to one spider
            per_spider.setdefault(spider, {})[name] = value
        else:
            common[key] = value
    try:
        result = run_spiders(list(spiders), settings=overrides, spider_args=common,
                             per_spider_args=per_spider)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if result["manifest"] and not quiet:
        print_summary(load_manifest(result["manifest"]))
        click.echo(f"  manifest: {result['manifest']}")
    if result["failed"]:
        click.echo(f"failed: {', '.join(result['failed'])}", err=True)
        sys.exit(1)


@click.command("demo")
@click.option("--output", "-o", "output", default="output/demo", show_default=True, type=click.Path(file_okay=False),
              help="Output folder; the dataset goes to OUTPUT/articles.")
@click.option("--mirror", default=None, type=click.Path(exists=True, file_okay=False),
              help="Mirror folder (default: the bundled crawler/demo/mirror).")
@click.option("--delay", default=0.0, show_default=True, help="Seconds the local server waits per response.")
@click.option("-s", "--set", "settings", multiple=True, metavar="KEY=VALUE", help="Scrapy setting (repeatable).")
def demo(output, mirror, delay, settings):
    """Offline demo: serve the bundled mirror of rt.com, sputniknews.com and republicworld.com on
    127.0.0.1, crawl it with the real spiders into OUTPUT/articles, and query it with DuckDB."""
    from .demo import MIRROR, SITES
    from .demo.server import serve_mirror
    from .runner import LOCAL_SETTINGS, load_manifest, run_spiders

    servers = serve_mirror(mirror or MIRROR, delay=delay)
    for site, server in servers.items():
        click.echo(f"serving {site} mirror on {server.url}")
    overrides = dict(LOCAL_SETTINGS, NEWSCLEAN_DATASET_ENABLED=True, NEWSCLEAN_OUTPUT=output)
    overrides.update(_pairs(settings, "-s"))
    try:
        result = run_spiders([s for s in SITES if s in servers], settings=overrides,
                             per_spider_args={s: {"base_url": srv.url} for s, srv in servers.items()})
    finally:
        for server in servers.values():
            server.stop()
    if result["manifest"]:
        click.echo("")
        print_summary(load_manifest(result["manifest"]))
        click.echo(f"  manifest: {result['manifest']}")
    duckdb_report(Path(output) / "articles")
    if result["failed"]:
        sys.exit(1)


@click.command("compact")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("--partition", "partitions", multiple=True, metavar="crawl_date=D/site=S",
              help="Compact only these partitions (repeatable; a crawl_date=D prefix takes all its "
                   "sites). Default: every partition with more than one part.")
@click.option("--target-rows", default=1_000_000, show_default=True,
              help="Rows per compacted file at most.")
@click.option("--redis", "redis_url", default=None, envvar="NEWSCLEAN_REDIS_URL", metavar="URL",
              help="The state store of a Redis-mode dataset (default: $NEWSCLEAN_REDIS_URL, else "
                   "DATASET/_state/state.sqlite).")
@click.option("--redis-prefix", default=None, envvar="NEWSCLEAN_REDIS_PREFIX", metavar="PREFIX",
              help="Key prefix of that state (default: newsclean).")
@click.option("--wait/--no-wait", default=False, show_default=True,
              help="Wait for writers of a partition to finish their part, instead of skipping it.")
def compact(dataset, partitions, target_rows, redis_url, redis_prefix, wait):
    """Merge each partition's small Parquet parts into fewer, larger files sorted by
    `published`, atomically (a reader sees either the old parts or the new files, never both);
    the state store is updated to the new files. Safe while a crawl writes other partitions."""
    from .compact import compact_dataset, open_state

    if redis_url:
        from .redisstate import check_reachable

        problem = check_reachable(redis_url)
        if problem:
            click.echo(f"newsclean compact: {problem}", err=True)
            sys.exit(2)
    state = open_state(Path(dataset), redis_url, redis_prefix)
    try:
        results = compact_dataset(Path(dataset), state, partitions=list(partitions),
                                  target_rows=target_rows, wait=wait)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        state.close()
    for r in results:
        if r["status"] == "compacted":
            click.echo(f"{r['partition']}: {r['parts_before']} parts -> {r['parts_after']} "
                       f"({r['rows']} rows, {r['seconds']:.2f} s)")
        else:
            click.echo(f"{r['partition']}: {r['status']}")
    if not results:
        click.echo("nothing to compact")


@click.group()
def main():
    """newsclean crawler commands."""


main.add_command(crawl)
main.add_command(demo)
main.add_command(compact)

if __name__ == "__main__":
    main()
