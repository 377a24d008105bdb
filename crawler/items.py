"""Items: what a spider yields for every article URL it fetched (or failed to fetch), and the
cleaned row the pipeline turns it into."""
from __future__ import annotations

import scrapy


class PageItem(scrapy.Item):
    """A fetched page (or a failed fetch), before cleaning."""

    url = scrapy.Field()  # the URL asked for (before redirects)
    final_url = scrapy.Field()  # the URL after redirects
    site_url = scrapy.Field()  # the page's URL on the real site (differs when fetched from a mirror)
    body = scrapy.Field()  # bytes, or None when the fetch failed
    content_type = scrapy.Field()
    http_charset = scrapy.Field()
    http_status = scrapy.Field()
    fetched_at = scrapy.Field()  # datetime, UTC
    source = scrapy.Field()  # sitemap, rss, link
    default_site = scrapy.Field()  # site reported when the page names none (fetch errors)
    error_status = scrapy.Field()  # set for failed fetches: fetch_error, too_large
    error = scrapy.Field()


class ArticleRow(dict):
    """One row of cleaners.schema.ARTICLE_SCHEMA (a plain dict for exporters), carrying the
    page's real-site URL as an attribute for the incremental state."""

    site_url: str | None = None
