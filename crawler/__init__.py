"""newsclean's crawler: a Scrapy project whose pipeline cleans every fetched page with
`cleaners.clean()` and writes the rows to a Parquet dataset (see crawler.dataset)."""
