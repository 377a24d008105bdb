"""Which of the real site pages in ../shared/sites come out clean, on both inputs (saved HTML and
the text dump make_dump.py makes of it), judged by the expectations in
tests/fixtures/real_pages/ (the same rules as tests/test_site_real_pages.py).

    .venv/bin/python bench/site_pages.py            # this checkout's cleaners
    PYTHONPATH=/path/to/old/checkout .venv/bin/python bench/site_pages.py   # another version

A page is clean when its body is exactly the expected text (HTML: the same paragraphs; dump: the
same text, white space aside), no junk string of the page appears, and title, lead, dates,
authors, section and tags are the expected ones. The extractor is compared by its site part
only ("site:rt"), so that versions before template names can be measured too.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cleaners import clean

PROJECT = Path(__file__).resolve().parent.parent
EXPECTED = PROJECT / "tests" / "fixtures" / "real_pages"
SHARED = PROJECT.parent / "shared"
sys.path.insert(0, str(PROJECT / "tests"))
from test_site_real_pages import FIELDS, compact_hash, paragraph_key  # noqa: E402


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def problems(article, expected: dict, kind: str) -> list[str]:
    want = dict(expected["html"], **(expected["dump"] if kind == "dump" else {}))
    found = []
    if kind == "html":
        if [paragraph_key(p) for p in paragraphs(article.text)] != [p["key"] for p in expected["paragraphs"]]:
            found.append("body")
    elif compact_hash(article.text) != expected["body_compact_hash"]:
        found.append("body")
    found += [f"junk:{j}" for j in expected["must_not_contain"] if j in article.text]
    for field in FIELDS:
        got, wanted = getattr(article, field), want[field]
        if field == "extractor":
            got, wanted = (got or "").split("/")[0], (wanted or "").split("/")[0]
        if got != wanted:
            found.append(field)
    return found


def main() -> int:
    clean_inputs = total = 0
    for path in sorted(EXPECTED.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        page = SHARED.joinpath(*expected["page"])
        if not page.exists():
            print(f"skip {page}: absent")
            continue
        dump = subprocess.run([sys.executable, str(SHARED / "tools" / "make_dump.py"), str(page)],
                              capture_output=True, text=True, check=True).stdout
        for kind, data in (("html", page.read_bytes()), ("dump", dump)):
            article = clean(data)
            found = problems(article, expected, kind)
            total += 1
            clean_inputs += not found
            print(f"{'clean' if not found else 'NOT  '}  {kind:<4}  {page.name[:60]:<60}  {article.extractor}"
                  + (f"  ({', '.join(found)[:120]})" if found else ""))
    print(f"{clean_inputs} of {total} inputs clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
