"""RT (rt.com and its editions: www.rt.com, actualidad.rt.com, de.rt.com, francais.rt.com ...).

Article URLs: https://www.rt.com/<section>/<id>-<slug>/ (e.g. /russia/549908-nato-less-borders/),
https://actualidad.rt.com/<section>/<id>-<slug> (e.g. /actualidad/603743-iran-afirma-...), the
same shape on the other editions. Not articles: /amp/ copies, /tags/, /trends/, /shows/ listings.
"""
from .base import NewsSpider


class RTSpider(NewsSpider):
    name = "rt"
    site = "rt.com"
    domains = ("rt.com",)
    home = "https://www.rt.com"
    sitemap_urls = ("https://www.rt.com/sitemap_news.xml",)
    feed_urls = ("https://www.rt.com/rss/", "https://actualidad.rt.com/feeds/all.rss")
    section_urls = ("https://www.rt.com/news/", "https://www.rt.com/russia/",
                    "https://actualidad.rt.com/actualidad")
    article_patterns = (r"^/[a-z][a-z0-9-]*/\d{5,}-[\w%-]+/?$",)
    deny_patterns = NewsSpider.deny_patterns + (r"^/(?:trends|shows|tags|listing)/",)

    # Contracts (`scrapy check`) read the bundled demo mirror: no network needed.
    def parse_sitemap(self, response):
        """@mirror rt/sitemap_news.xml
        @returns requests 3 3
        @returns items 0 0
        """
        return super().parse_sitemap(response)

    def parse_feed(self, response):
        """@mirror rt/feeds/all.rss/index.xml
        @returns requests 1 1
        @returns items 0 0
        """
        return super().parse_feed(response)

    def parse_section(self, response):
        """@mirror rt/russia/index.html
        @returns requests 3 3
        @returns items 0 0
        """
        return super().parse_section(response)

    def parse_article(self, response):
        """@mirror rt/russia/549908-nato-less-borders-kremlin/index.html
        @returns items 1 1
        @returns requests 0 0
        @scrapes url final_url body http_status fetched_at source
        @cleans site:rt
        """
        return super().parse_article(response)
