"""`news`: a generic spider for any news site.

    scrapy crawl news -a sitemap=https://example.com/news-sitemap.xml -a feed=https://example.com/rss
                      -a start_urls=https://example.com/world/ -a allowed_domains=example.com

start_urls are read as section pages (their article-like links are followed, nothing else).
With -a base_url=URL, robots.txt sitemaps are read there, and URLs on allowed_domains are fetched
from base_url (a mirror or a test server), as for the site spiders.
Article-like: a URL on the allowed domains whose path has a long hyphenated slug, a numeric id of
5+ digits, or a /yyyy/mm/dd/ date, and is not a tag/author/search/media page; or give your own
regular expression with -a article_pattern=REGEX.
"""
from urllib.parse import urlsplit

from .base import NewsSpider, _split, host_matches


def _origin_on(urls, domains) -> str | None:
    """scheme://host of the first URL on the site's domains (else https:// + the first domain)."""
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme and host_matches(parts.hostname, domains):
            return f"{parts.scheme}://{parts.netloc}"
    return f"https://{domains[0]}" if domains else None


class GenericNewsSpider(NewsSpider):
    name = "news"
    robots_sitemaps = False
    article_patterns = (
        r"/[a-z0-9]+(?:-[a-z0-9]+){3,}(?:\.s?html?)?/?$",
        r"/\d{5,}(?:[-/][\w-]*)?(?:\.s?html?)?/?$",
        r"/(?:19|20)\d\d/[01]?\d/[0-3]?\d/[\w-]+",
    )

    def __init__(self, *args, start_urls=None, allowed_domains=None, article_pattern=None,
                 base_url=None, **kwargs):
        starts = _split(start_urls)
        domains = _split(allowed_domains)
        if not domains:
            for url in starts + _split(kwargs.get("sitemap")) + _split(kwargs.get("feed")) + _split(base_url):
                host = urlsplit(url).hostname
                if host:
                    domains.append(host[4:] if host.startswith("www.") else host)
        self.domains = tuple(dict.fromkeys(domains))
        if article_pattern:
            self.article_patterns = (article_pattern,)
        if base_url:  # read robots.txt sitemaps there; URLs on allowed_domains are fetched from it
            kwargs.setdefault("robots_sitemaps", "1")
        super().__init__(*args, base_url=base_url, **kwargs)
        if starts:
            self.section_urls = tuple(starts)
        if self.base_url and not self.home:  # the site's own origin, for rows keyed by site URL
            self.home = _origin_on(starts + list(self.sitemap_urls) + list(self.feed_urls), self.domains)
        self.allowed_domains = sorted(set(self.domains) | set(getattr(self, "allowed_domains", None) or ()))

    def parse_article(self, response):
        """Any page: the generic spider cleans whatever article it is given.

        @mirror sputnik/russia/201607041042380000/index.html
        @returns items 1 1
        @scrapes url final_url body http_status fetched_at source
        @cleans site:sputnik
        """
        return super().parse_article(response)
