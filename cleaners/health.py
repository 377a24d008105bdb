"""Template health: per site, how many pages each template of its cleaner made, and how many fell
back to the generic path because no template matched (Article.fallback_from). A site whose
fallback share passes a threshold has probably been redesigned: the crawl's manifest and summary
and `newsclean clean` report it, so a redesign is noticed by the run, not by an analyst later.

The counts are plain dicts ({site: {"templates": {extractor: n}, "fallback": n}}) so that they go
into the JSON manifest and add up across spiders and runs.
"""
from __future__ import annotations

DEFAULT_SHARE = 0.20  # warn when more than this share of a site's pages fell back …
DEFAULT_MIN_PAGES = 20  # … of at least this many pages (a few odd pages are no redesign)


def count(counts: dict, row: dict) -> None:
    """Add one row (an Article dict or a dataset record): an article a site cleaner made, or one of
    a registered site that fell back. Other rows (generic sites, errors) are not counted."""
    extractor = row.get("extractor") or ""
    fallback = row.get("fallback_from")
    if row.get("status") != "ok" or not (extractor.startswith("site:") or fallback):
        return
    site = counts.setdefault(row.get("site") or "unknown", {"templates": {}, "fallback": 0})
    if fallback:
        site["fallback"] += 1
    else:
        site["templates"][extractor] = site["templates"].get(extractor, 0) + 1


def merge(total: dict, other: dict) -> dict:
    for name, part in other.items():
        site = total.setdefault(name, {"templates": {}, "fallback": 0})
        site["fallback"] += part.get("fallback", 0)
        for extractor, n in part.get("templates", {}).items():
            site["templates"][extractor] = site["templates"].get(extractor, 0) + n
    return total


def pages(site: dict) -> int:
    return sum(site["templates"].values()) + site["fallback"]


def warnings(counts: dict, share: float = DEFAULT_SHARE, min_pages: int = DEFAULT_MIN_PAGES) -> list[str]:
    """One message per site whose fallback share is above `share` over at least `min_pages`."""
    out = []
    for name, site in sorted(counts.items()):
        total = pages(site)
        if total >= min_pages and site["fallback"] > share * total:
            out.append(f"{name}: {site['fallback']} of {total} pages ({site['fallback'] / total:.0%}) "
                       f"matched no template of its cleaner and went to the generic path; "
                       f"the site may have been redesigned")
    return out


def report_lines(counts: dict) -> list[str]:
    """'rt.com: 120 pages: site:rt/2026 100, site:rt/en-2019 15, fell back 5'."""
    out = []
    for name, site in sorted(counts.items()):
        parts = [f"{extractor} {n}" for extractor, n in sorted(site["templates"].items())]
        parts.append(f"fell back {site['fallback']}")
        out.append(f"{name}: {pages(site)} pages: " + ", ".join(parts))
    return out
