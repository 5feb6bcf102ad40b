"""Scrapy spiders: one per site profile (`scrapy crawl <name>`)."""
