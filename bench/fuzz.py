"""Fuzzing clean() and the writers: a seeded generator of hostile pages, run in worker processes
with the per-page time limit, every row written through the real Parquet writer.

    python bench/fuzz.py --cases 20000 -j 2                # the full run (JSON report in bench/results/)
    python bench/fuzz.py --cases 300 --seed 7 -j 1 --report -   # a small sample, report on stdout

Families of inputs (each case is made from (seed, index) alone, in the worker, so the run is
reproducible and nothing big crosses a pipe): random bytes; pages of our own templates truncated
and mutated (and pages of ../shared/sites and ../shared/bench, read in place when present, never
copied); invalid UTF-8; lying charsets (HTTP header and <meta>); UTF-16/32 with and without BOM;
deep nesting; huge attributes; NULs; JSON-LD with lone-surrogate escapes and deep nesting;
pathological text runs (spaces, punctuation, one endless word, no line breaks); text dumps given as
HTML and HTML given as a dump; many <p>; hostile URLs.

A failure is: an exception out of clean(), a cleaner_error row (a bug of ours showed), a row
that does not convert to the Parquet schema or to JSON Lines as it stands (checked before any
writer fallback), a page past the time limit, a worker that died. The report lists them with the
case's seed and index (`--only INDEX` re-runs one), the slowest pages and the peak memory.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", PROJECT.parent / "shared"))
RESULTS = PROJECT / "bench" / "results"

# -- our own material: words and templates ---------------------------------------------------------

WORDS = {
    "en": "the harbour council said ferry line would start spring officials expect route carry passengers "
          "year residents island asked faster connection mainland decade timetable safety inspections "
          "minister announced budget schools hospitals election results voters turnout parliament".split(),
    "ru": "совет города заявил паром линия начнёт весной чиновники ожидают маршрут пассажиров год жители "
          "острова просили быстрое сообщение материком министр объявил бюджет школы больницы выборы".split(),
    "es": "el consejo dijo que la nueva línea de ferry comenzará en primavera los funcionarios esperan "
          "pasajeros año residentes isla pidieron conexión más rápida ministro anunció presupuesto".split(),
    "hi": "परिषद ने कहा कि नई नौका सेवा वसंत में शुरू होगी अधिकारियों को उम्मीद है यात्री वर्ष निवासी द्वीप".split(),
    "zh": "市议会 表示 新的 渡轮 航线 将在 春季 开通 官员 预计 每天 乘客 居民 要求 更快 连接 大陆".split(),
}
CHARSETS = ["utf-8", "cp1251", "koi8-r", "latin-1", "cp1252", "shift_jis", "gb2312", "utf-16", "utf-16-le",
            "utf-16-be", "utf-32", "undefined", "rot13", "base64", "unicode-escape", "utf-7", "x-nonsense",
            "", "utf\x008", "iso-8859-5", "euc-jp", "big5", "mac-cyrillic"]
PUNCT = list(" \t.,;:!?-–—_*#=+~|/\\()[]{}<>\"'`…·•")


def sentence(rng: random.Random, lang: str, words: int | None = None) -> str:
    vocab = WORDS[lang]
    out = " ".join(rng.choice(vocab) for _ in range(words or rng.randint(6, 25)))
    return out[:1].upper() + out[1:] + rng.choice([".", ".", ".", "!", "?"])


def paragraphs(rng, lang, count):
    return [" ".join(sentence(rng, lang) for _ in range(rng.randint(1, 4))) for _ in range(count)]


def json_ld(rng, title, lang):
    return json.dumps({"@context": "https://schema.org", "@type": rng.choice(["NewsArticle", "Article", "BlogPosting"]),
                       "headline": title, "inLanguage": lang, "datePublished": "2026-0%d-1%dT10:00:00+03:00"
                       % (rng.randint(1, 9), rng.randint(0, 9)), "author": {"@type": "Person", "name": "Ana Ruiz"},
                       "keywords": ", ".join(rng.sample(WORDS["en"], 4))}, ensure_ascii=rng.random() < 0.5)


def article_html(rng: random.Random, *, lang: str | None = None, paras: int | None = None, head: str = "",
                 charset: str | None = "utf-8", body_extra: str = "") -> str:
    """A news page in one of a few layouts of our own: nav, article, related list, footer."""
    lang = lang or rng.choice(list(WORDS))
    title = sentence(rng, lang, rng.randint(4, 10)).rstrip(".!?")
    ps = "".join(f"<p>{p}</p>" for p in paragraphs(rng, lang, paras or rng.randint(3, 15)))
    nav = "".join(f'<li><a href="/s{i}">{rng.choice(WORDS[lang])}</a></li>' for i in range(rng.randint(3, 12)))
    related = "".join(f'<li><a href="/r/{i}">{sentence(rng, lang, 6)}</a></li>' for i in range(rng.randint(0, 8)))
    meta = f'<meta charset="{charset}">' if charset is not None else ""
    layout = rng.randrange(3)
    if layout == 0:
        main = f'<article><h1>{title}</h1><div class="byline">By Ana Ruiz</div>{ps}</article>'
    elif layout == 1:
        main = f'<div id="content"><div class="post"><h2>{title}</h2><div class="entry">{ps}</div></div></div>'
    else:
        main = f'<main><section><h1>{title}</h1>{ps.replace("<p>", "<div>").replace("</p>", "</div>")}</section></main>'
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title} | Example News</title>'
            f'<meta property="og:title" content="{title}"><link rel="canonical" href="https://news.example.org/a/{rng.randint(1, 10**6)}">'
            f'<script type="application/ld+json">{json_ld(rng, title, lang)}</script>{head}</head>'
            f'<body><header><nav><ul>{nav}</ul></nav></header>{main}<aside><ul>{related}</ul></aside>'
            f'{body_extra}<footer><p>© 2026 Example News. All rights reserved.</p></footer></body></html>')


def text_dump(rng, lang=None, paras=None) -> str:
    lang = lang or rng.choice(list(WORDS))
    lines = [sentence(rng, lang, 8).rstrip("."), "Home", "News", "", *paragraphs(rng, lang, paras or rng.randint(3, 20)),
             "Read more", "Share", "© 2026 Example News"]
    return "\n\n".join(lines) if rng.random() < 0.5 else "\n".join(lines)


# -- seeds from ../shared (read in place, when present) ---------------------------------------------

_SEED_FILES: list[Path] | None = None
_SEED_CACHE: dict[Path, bytes] = {}


def seed_files() -> list[Path]:
    global _SEED_FILES
    if _SEED_FILES is None:
        files = sorted((SHARED / "sites").glob("*/*.html")) if (SHARED / "sites").exists() else []
        wcxb = SHARED / "bench" / "wcxb-dev" / "html"
        if wcxb.exists():
            files += sorted(wcxb.glob("*.html.gz"))[::7]  # a spread sample, ~200 pages
        _SEED_FILES = files
    return _SEED_FILES


def seed_page(rng: random.Random) -> bytes | None:
    files = seed_files()
    if not files:
        return None
    path = rng.choice(files)
    if path not in _SEED_CACHE:
        if len(_SEED_CACHE) > 64:
            _SEED_CACHE.pop(next(iter(_SEED_CACHE)))
        raw = path.read_bytes()
        _SEED_CACHE[path] = gzip.decompress(raw) if path.suffix == ".gz" else raw
    return _SEED_CACHE[path]


def base_page(rng) -> bytes:
    """A page to truncate or mutate: a shared page when present (half the time), else our own."""
    if rng.random() < 0.5:
        page = seed_page(rng)
        if page:
            return page
    return article_html(rng).encode("utf-8")


# -- the families -----------------------------------------------------------------------------------

def f_random_bytes(rng):
    size = rng.choice([1, 7, 100, 4096, 70_000])
    return {"data": rng.randbytes(size)}


def f_truncated(rng):
    page = base_page(rng)
    cut = rng.randint(0, len(page))
    return {"data": page[:cut] if rng.random() < 0.8 else page[cut:]}


def f_mutated(rng):
    page = bytearray(base_page(rng))
    for _ in range(rng.randint(1, 200)):
        if not page:
            break
        at = rng.randrange(len(page))
        action = rng.randrange(4)
        if action == 0:
            page[at] = rng.randrange(256)
        elif action == 1:
            del page[at:at + rng.randint(1, 50)]
        elif action == 2:
            page[at:at] = rng.choice([b"<", b">", b"</div>", b"<p>", b"<!--", b"]]>", b"&#", b"\x00", b"\xff\xfe",
                                      b"<script>", b"\"", b"<table><tr><td>", b"&amp;" * 10])
        else:
            start = rng.randrange(len(page))
            page[at:at] = page[start:start + rng.randint(1, 2000)]
    return {"data": bytes(page)}


def f_invalid_utf8(rng):
    page = bytearray(article_html(rng).encode("utf-8"))
    for _ in range(rng.randint(1, 100)):
        at = rng.randrange(len(page))
        page[at:at] = rng.choice([b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"])
    return {"data": bytes(page)}


def f_lying_charset(rng):
    lang = rng.choice(list(WORDS))
    real = rng.choice(["utf-8", "cp1251", "koi8-r", "latin-1", "utf-16-le", "utf-16-be", "shift_jis"])
    declared = rng.choice(CHARSETS)
    page = article_html(rng, lang=lang, charset=declared if rng.random() < 0.7 else None)
    data = page.encode(real, errors="replace")
    if rng.random() < 0.3:
        data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""]) + data
    return {"data": data, "http_charset": rng.choice(CHARSETS) if rng.random() < 0.5 else None}


def f_wide(rng):
    page = article_html(rng, charset=rng.choice([None, "utf-16", "utf-8"]))
    encoding = rng.choice(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16"])
    data = page.encode(encoding)
    if rng.random() < 0.3:
        data = data[: rng.randint(0, len(data))]
    return {"data": data, "http_charset": rng.choice([None, "utf-16", "UTF-16LE", "utf-32", "utf-8"])}


def f_deep_nesting(rng):
    depth = rng.choice([100, 255, 300, 1000, 5000, 20_000])
    tag = rng.choice(["div", "span", "b", "table", "ul", "blockquote", "a", "p", "font"])
    inner = "".join(f"<p>{p}</p>" for p in paragraphs(rng, "en", rng.randint(3, 8)))
    if tag == "table":
        opening, closing = "<table><tr><td>" * depth, "</td></tr></table>" * depth
    else:
        opening, closing = f"<{tag}>" * depth, f"</{tag}>" * (depth if rng.random() < 0.5 else 0)
    return {"data": article_html(rng, body_extra=opening + inner + closing).encode()}


def f_huge_attributes(rng):
    size = rng.choice([10_000, 200_000, 2_000_000])
    value = rng.choice(["x", "a b ", "&quot;", "\u00e9", " "]) * (size // 2)
    attrs = " ".join(f'data-a{i}="{value[: size // (i + 1)]}"' for i in range(rng.randint(1, 5)))
    many = " ".join(f"a{i}=v" for i in range(rng.choice([10, 5000, 50_000])))
    extra = f'<div class="{value}" {attrs}><p {many}>{sentence(rng, "en")}</p></div>'
    return {"data": article_html(rng, body_extra=extra).encode()}


def f_nuls(rng):
    page = bytearray(article_html(rng).encode())
    for _ in range(rng.choice([1, 10, 1000])):
        at = rng.randrange(len(page))
        page[at:at] = b"\x00" * rng.randint(1, 5)
    return {"data": bytes(page), "http_charset": rng.choice([None, "utf-8", "utf\x00-8"])}


def f_json_ld(rng):
    escapes = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00x", "\\u0000", "\\ud800\\ud800"]
    title = "Ferry " + rng.choice(escapes) + " line"
    depth = rng.choice([1, 1, 50, 200, 1000, 5000, 100_000])
    nested = "[" * depth + '"x"' + "]" * (depth if rng.random() < 0.7 else 0)
    obj = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "%s", "author": {"name": "A%sB"},'
           ' "keywords": "a, %s", "datePublished": "2026-01-0%d", "articleBody": "%s", "about": %s}'
           % (title, rng.choice(escapes), rng.choice(escapes), rng.randint(1, 9),
              " ".join(["word" + rng.choice(escapes)] * 30), nested))
    if rng.random() < 0.3:
        obj = '{"@graph": [' + ",".join([obj] * rng.randint(1, 30)) + "]}"
    head = f'<script type="application/ld+json">{obj}</script>'
    url = rng.choice([None, "https://news.example.org/a/1", "https://news.example.org/\udc80x", "https://\ud800.example/"])
    data = article_html(rng, head=head)
    if rng.random() < 0.3:  # real lone surrogates in a str input, as a caller may hand over
        data = data.replace("Example News", "Example \ud800 News")
    return {"data": data if rng.random() < 0.3 else data.encode("utf-8", "surrogatepass"), "url": url}


def f_pathological_text(rng):
    size = rng.choice([10_000, 30_000, 100_000, 100_000, 300_000, 1_000_000])
    kind = rng.randrange(6)
    if kind == 0:
        run = " " * size
    elif kind == 1:
        run = "".join(rng.choice(PUNCT) for _ in range(min(size, 200_000))) * max(1, size // 200_000)
    elif kind == 2:
        run = rng.choice(PUNCT) * size
    elif kind == 3:
        run = "a" * size  # one endless word
    elif kind == 4:
        run = ("word " * (size // 5))  # no sentence end, no line break
    else:
        run = (". " * (size // 2)) if rng.random() < 0.5 else ("- " * (size // 2))
    where = rng.randrange(3)
    if where == 0:
        data = article_html(rng, body_extra=f"<p>{run}</p>")
    elif where == 1:
        data = text_dump(rng) + "\n" + run + "\n" + text_dump(rng)
    else:
        data = run
    return {"data": data.encode("utf-8"), "kind": rng.choice([None, "html", "text"])}


def f_kind_swapped(rng):
    if rng.random() < 0.5:  # a text dump handed in as HTML
        dump = text_dump(rng, paras=rng.choice([5, 50, 50, 300, 2000]))
        if rng.random() < 0.3:
            dump = dump.replace("\n", " ")
        return {"data": dump.encode(), "kind": "html"}
    html = article_html(rng, paras=rng.choice([5, 20, 50, 500]))  # HTML handed in as a dump
    if rng.random() < 0.3:
        html = html.replace("><", ">\n<")
    return {"data": html.encode(), "kind": "text"}


def f_many_p(rng):
    count = rng.choice([300, 1000, 3000, 3000, 10_000, 10_000, 30_000, 100_000])
    unit = rng.choice(["<p>{s}</p>", "<p>", "<p>{s}", "<div><p>{s}</p></div>", "<br>", "<li>{s}</li>", "<p></p>"])
    words = sentence(rng, "en", rng.randint(1, 12))
    body = "".join(unit.format(s=words) for _ in range(count))
    return {"data": article_html(rng, body_extra=body).encode()}


def f_hostile_url(rng):
    url = rng.choice(["https://" + "a" * 70 + ".com/x", "http://[::1", "https://xn--.com/", "javascript:alert(1)",
                      "https://www.rt.com/" + "x/" * 5000, "https://пример.рф/новости/1", "https://example.com/\x00",
                      "//rt.com/a", "https://rt.com:99999/a", "", "https://sputniknews.com/\ud800/",
                      "https://republicworld.com/%zz/%"])
    return {"data": article_html(rng).encode(), "url": url, "kind": rng.choice([None, "html", "text"])}


FAMILIES = {
    "random_bytes": f_random_bytes, "truncated": f_truncated, "mutated": f_mutated, "invalid_utf8": f_invalid_utf8,
    "lying_charset": f_lying_charset, "utf16_32": f_wide, "deep_nesting": f_deep_nesting,
    "huge_attributes": f_huge_attributes, "nuls": f_nuls, "json_ld": f_json_ld,
    "pathological_text": f_pathological_text, "kind_swapped": f_kind_swapped, "many_p": f_many_p,
    "hostile_url": f_hostile_url,
}
# How often each family is drawn (per 100 cases): the costly ones (pages of megabytes) are rarer,
# so that 20,000 cases fit in 10 minutes on 2 workers; each still comes up hundreds of times.
WEIGHTS = {
    "random_bytes": 10, "truncated": 8, "mutated": 8, "invalid_utf8": 8, "lying_charset": 12, "utf16_32": 10,
    "nuls": 10, "json_ld": 12, "hostile_url": 8, "deep_nesting": 4, "huge_attributes": 3,
    "pathological_text": 3, "kind_swapped": 2, "many_p": 2,
}
FAMILY_NAMES = sorted(FAMILIES)


def make_case(seed: int, index: int) -> tuple[str, dict]:
    rng = random.Random(f"{seed}:{index}")
    if index < len(FAMILY_NAMES):  # every family at least once, even in a small sample
        family = FAMILY_NAMES[index]
    else:
        family = rng.choices(FAMILY_NAMES, weights=[WEIGHTS[name] for name in FAMILY_NAMES])[0]
    case = FAMILIES[family](rng)
    return family, case


# -- running one case (in a worker) -----------------------------------------------------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(seed: int, index: int) -> dict:
    """Make case `index`, clean it, check its row converts for Parquet and JSON Lines as it stands."""
    import pyarrow as pa

    from cleaners import clean
    from cleaners.io.jsonl import _line
    from cleaners.io.schema import ARTICLE_SCHEMA, article_record

    family, case = make_case(seed, index)
    data = case["data"]
    size = len(data)
    rss_before = _peak_rss_mb()
    failure = None
    started = time.perf_counter()
    try:
        article = clean(data, url=case.get("url"), kind=case.get("kind"), http_charset=case.get("http_charset"))
    except Exception as exc:  # noqa: BLE001 - the point of the fuzzer
        article, failure = None, f"clean() raised {type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    record = None
    if article is not None:
        if article.status == "cleaner_error":
            failure = f"cleaner_error: {article.error}"
        record = article_record(article, source="fuzz", source_path=f"fuzz:{seed}:{index}:{family}")
        try:
            pa.Table.from_pylist([record], schema=ARTICLE_SCHEMA)
            _line(record)
        except Exception as exc:  # noqa: BLE001
            failure = failure or f"row not writable: {type(exc).__name__}: {exc}"
    rss_after = _peak_rss_mb()
    return {"index": index, "family": family, "bytes": size, "seconds": round(seconds, 4),
            "status": article.status if article else None, "failure": failure, "record": record,
            "peak_rss_mb": round(rss_after, 1), "rss_growth_mb": round(rss_after - rss_before, 1)}


def warm_up() -> None:
    from cleaners.batch import warm_up as cleaners_warm_up
    cleaners_warm_up()


# -- the run ----------------------------------------------------------------------------------------

def run(cases: int, seed: int, jobs: int, time_limit: float, only: list[int] | None = None) -> dict:
    import pyarrow.parquet as pq

    from cleaners.io.parquet import ParquetWriter
    from cleaners.pool import TaskTimeout, WorkerDied, WorkerPool

    indexes = only if only else list(range(cases))
    failures, results = [], []
    statuses, by_family = Counter(), Counter()
    started = time.monotonic()
    pool = WorkerPool(jobs, initializer=warm_up, time_limit=time_limit or None)
    tmp = Path(tempfile.mkdtemp(prefix="newsclean-fuzz-"))
    out = tmp / "rows.parquet"
    writer = ParquetWriter(out, row_group_size=200)
    try:
        pending: deque = deque()

        def settle(index, future):
            try:
                result = future.result()
            except TaskTimeout as exc:
                family, _ = make_case(seed, index)
                result = {"index": index, "family": family, "seconds": time_limit, "status": "timeout",
                          "failure": f"over the time limit: {exc}", "record": None, "peak_rss_mb": None}
            except WorkerDied as exc:
                family, _ = make_case(seed, index)
                result = {"index": index, "family": family, "seconds": None, "status": None,
                          "failure": f"worker died: {exc}", "record": None, "peak_rss_mb": None}
            record = result.pop("record")
            if record is not None:
                writer.write(record)
            statuses[result["status"]] += 1
            by_family[result["family"]] += 1
            if result["failure"]:
                failures.append(result)
            results.append(result)
            if len(results) % 1000 == 0:
                print(f"{len(results)} cases, {len(failures)} failures, {(time.monotonic() - started) / 60:.1f} min",
                      file=sys.stderr, flush=True)

        for index in indexes:
            pending.append((index, pool.submit(run_case, seed, index)))
            if len(pending) >= jobs * 4:
                settle(*pending.popleft())
        while pending:
            settle(*pending.popleft())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    writer.close()
    table = pq.read_table(out, columns=["status", "error", "source_path"])
    rejected = [r for r in table.to_pylist() if (r["error"] or "").startswith("row not writable")]
    for row in rejected:
        failures.append({"index": int(row["source_path"].split(":")[2]), "family": row["source_path"].split(":")[3],
                         "failure": f"the Parquet writer rejected the row: {row['error']}"})
    rows_written = table.num_rows
    minutes = (time.monotonic() - started) / 60
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()
    timed = [r for r in results if r.get("seconds") is not None]
    slowest = sorted(timed, key=lambda r: -r["seconds"])[:20]
    peak = max((r["peak_rss_mb"] for r in results if r.get("peak_rss_mb")), default=None)
    growth = sorted((r for r in results if r.get("rss_growth_mb")), key=lambda r: -r["rss_growth_mb"])[:10]
    return {
        "seed": seed, "cases": len(indexes), "jobs": jobs, "time_limit_s": time_limit,
        "minutes": round(minutes, 2), "rows_written": rows_written, "failures": len(failures),
        "failure_cases": failures[:200], "statuses": dict(statuses.most_common()),
        "families": {name: {"cases": count, "mean_s": round(sum(r["seconds"] for r in timed if r["family"] == name)
                                                           / max(1, sum(1 for r in timed if r["family"] == name)), 4)}
                     for name, count in sorted(by_family.items())},
        "over_time_limit": sum(1 for r in results if r.get("status") == "timeout"),
        "over_5_s": sum(1 for r in timed if r["seconds"] > 5), "over_1_s": sum(1 for r in timed if r["seconds"] > 1),
        "slowest": [{k: r.get(k) for k in ("index", "family", "bytes", "seconds", "status")} for r in slowest],
        "peak_rss_mb_per_worker": peak,
        "largest_memory_growth": [{k: r.get(k) for k in ("index", "family", "bytes", "rss_growth_mb", "peak_rss_mb")}
                                  for r in growth],
        "shared_seed_pages": len(seed_files()),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per page (the CLI's default)")
    parser.add_argument("--only", type=int, nargs="*", help="run only these case indexes")
    parser.add_argument("--report", help="report path ('-' for stdout); default bench/results/fuzz-<date>.json")
    args = parser.parse_args(argv)
    report = run(args.cases, args.seed, args.jobs, args.time_limit, args.only)
    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": "python bench/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:]), **report}
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.report == "-":
        print(text)
    else:
        path = Path(args.report) if args.report else RESULTS / f"fuzz-{datetime.now(timezone.utc).date()}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        print(f"{report['cases']} cases in {report['minutes']} min: {report['failures']} failures, "
              f"{report['over_time_limit']} over the time limit, peak RSS {report['peak_rss_mb_per_worker']} MB "
              f"per worker -> {path}", file=sys.stderr)
    return 0 if report["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
