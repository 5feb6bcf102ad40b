"""Scrapy parts of lsarchive: settings, items, the portal spider, pipelines, extensions."""
