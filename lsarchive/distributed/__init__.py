"""Distributed crawling: many workers, one frontier, one politeness budget per
host, one archive (docs/distributed.md).

- Workers (`lsarchive crawl --redis URL`) share the frontier and the duplicate
  filter through scrapy-redis, space their requests to each host through a
  limiter in Redis, write their own WARC files, extract articles, and push each
  page's result to a Redis stream (frontier.py, limiter.py, worker.py).
- One archive writer (`lsarchive write --redis URL`) drains the stream into
  the SQLite archive through the same PageWriter a single-process crawl uses
  (writer.py); SQLite keeps its one writer.
- `lsarchive status --redis URL` reads the fleet's state (status.py).
"""
