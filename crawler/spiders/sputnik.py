"""Sputnik International (sputniknews.com; sputnikglobe.com since 2023).

Article URLs: https://sputniknews.com/<yyyymmdd>/<slug>-<id>.html (2020s), and the older
https://sputniknews.com/<section>/<yyyymmdd><id>-<slug>/ and /<section>/<yyyymmdd><id>/ forms
(e.g. /radio_the_critical_hour/202004281079127690-some-us-states-.../). Not articles: /amp/
copies, /tags/, section listings.
"""
from .base import NewsSpider


class SputnikSpider(NewsSpider):
    name = "sputnik"
    site = "sputniknews.com"
    domains = ("sputniknews.com", "sputnikglobe.com")
    home = "https://sputniknews.com"
    sitemap_urls = ("https://sputniknews.com/sitemap_article_index.xml",)
    feed_urls = ("https://sputniknews.com/export/rss2/archive/index.xml",)
    section_urls = ("https://sputniknews.com/russia/", "https://sputniknews.com/world/")
    article_patterns = (
        r"^/\d{8}/[\w-]+-\d{6,}\.html$",
        r"^/[a-z][a-z0-9_]*/\d{14,}(?:-[\w-]+)?/?$",
    )

    # Contracts (`scrapy check`) read the bundled demo mirror: no network needed.
    def parse_sitemap(self, response):
        """@mirror sputnik/sitemap_article.xml
        @returns requests 2 2
        @returns items 0 0
        """
        return super().parse_sitemap(response)

    def parse_feed(self, response):
        """@mirror sputnik/export/rss2/archive/index.xml
        @returns requests 1 1
        @returns items 0 0
        """
        return super().parse_feed(response)

    def parse_section(self, response):
        """@mirror sputnik/russia/index.html
        @returns requests 2 2
        @returns items 0 0
        """
        return super().parse_section(response)

    def parse_article(self, response):
        """@mirror sputnik/20230315/arctic-port-record-winter-cargo-1108500000.html
        @returns items 1 1
        @returns requests 0 0
        @scrapes url final_url body http_status fetched_at source
        @cleans site:sputnik
        """
        return super().parse_article(response)
