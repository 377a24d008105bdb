"""The `newsclean` command: `clean` for saved pages; `crawl` and `demo` come from the crawler."""
from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import health
from .article import CLEANER_VERSION, STATUS_OK
from .batch import DEFAULT_TIME_LIMIT, clean_pages, time_limit_setting
from .core import MAX_BYTES
from .io.inputs import WARC_SUFFIXES, expand, iter_pages
from .io.jsonl import JsonlWriter
from .io.parquet import ParquetWriter

stderr = Console(stderr=True, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(CLEANER_VERSION, prog_name="newsclean")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """newsclean: clean news pages into articles, crawl news sites, write Parquet."""
    # Logging is set up by each command: Scrapy (crawl, demo) installs its own handler.
    ctx.obj = {"log_level": max(logging.WARNING - 10 * verbose, logging.DEBUG)}


def _open_writer(output: str, fmt: str):
    if output == "-":
        return JsonlWriter(None) if fmt == "jsonl" else None
    try:
        return JsonlWriter(output) if fmt == "jsonl" else ParquetWriter(output)
    except OSError as exc:  # a parent that is a file, a folder without write permission, ...
        raise click.UsageError(f"cannot write the output {output}: {exc.strerror or exc}") from None


def check_output(output: str) -> None:
    """One clear line (a usage error) for an output path that cannot be a file, before any work."""
    if output == "-":
        return
    path = Path(output)
    if path.is_dir():
        raise click.UsageError(f"the output {output} is a folder; give a file name, e.g. {path / 'articles.parquet'}")
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise click.UsageError(f"the output {output} cannot be written: {parent} is not a folder")
            break


def _progress(enabled: bool, total: int | None) -> Progress:
    columns = [SpinnerColumn(), TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[errors]} errors")]
    return Progress(*columns, console=stderr, disable=not enabled, transient=False)


@main.command("clean")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="output/articles.parquet", show_default=True,
              help="Output file; '-' writes to standard output.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl"]),
              help="Output format (default: from the output's extension; jsonl for '-').")
@click.option("--url", help="The page's URL (only with a single input file).")
@click.option("--kind", type=click.Choice(["html", "text"]), help="Input kind (default: detected per page).")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Pages above this are too_large.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--time-limit", type=click.FloatRange(min=0), envvar="NEWSCLEAN_TIME_LIMIT",
              default=DEFAULT_TIME_LIMIT, show_default=True,
              help="Seconds per page; a page over it is a timeout row (its worker is killed). 0: no limit. "
                   "Env: NEWSCLEAN_TIME_LIMIT.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.pass_obj
def clean_command(options, paths, output, fmt, url, kind, max_bytes, jobs, time_limit, progress) -> None:
    """Clean saved pages (.html .htm .txt .warc .warc.gz: files, folders, globs) into one file.

    Every input page becomes one row: an article, or an error row whose status and error say
    why (empty, not_html, no_article, too_large, timeout, ...). Nothing is dropped silently."""
    logging.basicConfig(level=(options or {}).get("log_level", logging.WARNING),
                        format="%(levelname)s %(name)s: %(message)s")
    files = list(expand(paths))
    missing = [p for p in files if not p.exists() and not p.is_symlink()]  # a broken link gets a row
    if missing:
        raise click.UsageError(f"no such file: {missing[0]}")
    if not files:
        raise click.UsageError("no .html, .htm, .txt, .warc or .warc.gz files in the given paths")
    if url and len(files) > 1:
        raise click.UsageError("--url applies to a single input file")
    check_output(output)
    fmt = fmt or ("jsonl" if output == "-" or output.endswith((".jsonl", ".ndjson")) else "parquet")
    has_warc = any(p.name.lower().endswith(WARC_SUFFIXES) for p in files)
    show = sys.stderr.isatty() if progress is None else progress

    spool = None
    if output == "-" and fmt == "parquet":  # Parquet needs a seekable file: spool, then copy out
        spool = Path(tempfile.mkdtemp(prefix="newsclean-")) / "out.parquet"
    writer = _open_writer(str(spool) if spool else output, fmt)
    statuses: Counter = Counter()
    pages = iter_pages(files, max_bytes=max_bytes, url=url)
    templates: dict = {}
    with writer, _progress(show, None if has_warc else len(files)) as bar:
        task = bar.add_task("clean", total=None if has_warc else len(files), errors=0)
        for record in clean_pages(pages, jobs=jobs, time_limit=time_limit_setting(time_limit), kind=kind,
                                  max_bytes=max_bytes):
            writer.write(record)
            statuses[record["status"]] += 1
            health.count(templates, record)
            bar.update(task, advance=1, errors=sum(statuses.values()) - statuses[STATUS_OK])
    if spool:
        with open(spool, "rb") as handle:
            shutil.copyfileobj(handle, sys.stdout.buffer)
        shutil.rmtree(spool.parent, ignore_errors=True)
    _summary(statuses, len(files), output)
    _template_summary(templates)


def _template_summary(templates: dict) -> None:
    """Pages per site template and fallbacks to the generic path, with the redesign warning."""
    for line in health.report_lines(templates):
        stderr.print(f"  {line}", highlight=False)
    for warning in health.warnings(templates):
        stderr.print(f"WARNING {warning}", highlight=False)


def _summary(statuses: Counter, files: int, output: str) -> None:
    ok = statuses.pop(STATUS_OK, 0)
    errors = ", ".join(f"{reason} {count}" for reason, count in statuses.most_common()) or "none"
    where = "standard output" if output == "-" else output
    stderr.print(f"{files} files, {ok + sum(statuses.values())} pages: {ok} articles written, "
                 f"errors: {errors} -> {where}")


def _add_crawler_commands() -> None:
    """`crawl` and `demo` live with the Scrapy project; they are optional for cleaning alone."""
    try:
        from crawler.cli import compact, crawl, demo
    except ImportError as exc:  # the crawler package is not installed next to the cleaners
        logging.getLogger(__name__).debug("crawler commands unavailable: %s", exc)
        return
    main.add_command(crawl)
    main.add_command(demo)
    main.add_command(compact)


_add_crawler_commands()

if __name__ == "__main__":
    main()
