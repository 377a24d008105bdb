"""Republic World (www.republicworld.com).

Article URLs: https://www.republicworld.com/<section>/<subsection>/<slug>-articleshow.html (to
2023), and /<section>/<subsection>/<slug> (2024 on, a long hyphenated slug). Not articles: /amp/
copies, section and subsection pages (/world-news/, /world-news/europe/), /topics/, /videos/.
"""
from .base import NewsSpider


class RepublicWorldSpider(NewsSpider):
    name = "republicworld"
    site = "republicworld.com"
    domains = ("republicworld.com",)
    home = "https://www.republicworld.com"
    sitemap_urls = ("https://www.republicworld.com/sitemap/news-sitemap.xml",)
    feed_urls = ("https://www.republicworld.com/rss/world-news.xml",)
    section_urls = ("https://www.republicworld.com/world-news/", "https://www.republicworld.com/india-news/")
    article_patterns = (
        r"^/(?:[a-z0-9-]+/){1,3}[\w-]+-articleshow\.html$",
        r"^/(?:[a-z0-9-]+/){1,3}[a-z0-9]+(?:-[a-z0-9]+){4,}/?$",
    )
    deny_patterns = NewsSpider.deny_patterns + (r"^/(?:topics|videos|livetv|shows)/",)

    # Contracts (`scrapy check`) read the bundled demo mirror: no network needed.
    def parse_sitemap(self, response):
        """@mirror republicworld/sitemap/news-sitemap.xml
        @returns requests 3 3
        @returns items 0 0
        """
        return super().parse_sitemap(response)

    def parse_feed(self, response):
        """@mirror republicworld/rss/world-news.xml
        @returns requests 1 1
        @returns items 0 0
        """
        return super().parse_feed(response)

    def parse_section(self, response):
        """@mirror republicworld/world-news/index.html
        @returns requests 1 1
        @returns items 0 0
        """
        return super().parse_section(response)

    def parse_article(self, response):
        """@mirror republicworld/world-news/europe/nato-chief-jens-stoltenberg-says-wont-agree-to-keep-military-within-pre-1997-borders-articleshow.html
        @returns items 1 1
        @returns requests 0 0
        @scrapes url final_url body http_status fetched_at source
        @cleans site:republicworld
        """
        return super().parse_article(response)
