"""Commands of distributed crawling: a worker (`crawl --redis`), the archive
writer (`write`) and `status` (docs/distributed.md).

"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_UNREACHABLE, fail

REDIS_OPTION = click.option("--redis", "redis_url", required=True, metavar="URL",
                            help="The fleet's Redis, e.g. redis://host:6379/0.")


def connect_or_fail(url: str):
    try:
        from ..distributed.fleet import connect, probe
    except ImportError:
        fail("distributed crawling needs scrapy-redis: pip install 'lsarchive[distributed]'")
    problem = probe(url)
    if problem:
        fail(f"cannot reach Redis at {url}: {problem}", EXIT_UNREACHABLE)
    return connect(url)


def crawl_worker(*, redis_url, worker, crawl_delay, concurrency, site_url, db, spider, full, refresh, media, warc,
                 warc_max_size, politeness, contact_url, progress, verbose) -> None:
    """`lsarchive crawl --redis URL`: one worker of the fleet."""
    from ..crawl.runner import crawl_settings, run_crawl
    from ..crawl.spider import can_reach
    from ..distributed.fleet import default_worker_name
    from ..distributed.worker import worker_settings
    from ..crawl.targets import resolve_sites

    connect_or_fail(redis_url)
    target = site_url or next(iter(resolve_sites(spider).values())).base_url
    problem = can_reach(target)
    if problem:
        fail(f"{problem}; is the network up?", EXIT_UNREACHABLE)
    worker = worker or default_worker_name()
    settings = crawl_settings(db=db, verbosity=verbose, politeness=politeness, contact_url=contact_url,
                              progress=progress, extra={
                                  "LSARCHIVE_SITE_URL": site_url, "LSARCHIVE_FULL": full,
                                  "LSARCHIVE_REFRESH": refresh, "LSARCHIVE_MEDIA": media,
                                  "LSARCHIVE_WARC_ENABLED": warc, "LSARCHIVE_WARC_MAX_SIZE": warc_max_size,
                                  "LSARCHIVE_COMMAND": " ".join(["lsarchive", *sys.argv[1:]]),
                              })
    if concurrency:
        settings.set("CONCURRENT_REQUESTS", concurrency, priority="cmdline")
    base = {name: settings.get(name) for name in ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS", "AUTOTHROTTLE_ENABLED")}
    base["EXTENSIONS"] = settings.getdict("EXTENSIONS")
    base["DOWNLOADER_MIDDLEWARES"] = settings.getdict("DOWNLOADER_MIDDLEWARES")
    for name, value in worker_settings(redis_url=redis_url, worker=worker, crawl_delay=crawl_delay,
                                       warc_root=Path(db).resolve().parent / "warcs", base=base).items():
        settings.set(name, value, priority="cmdline")
    result = run_crawl(spider, site_url, settings)
    click.echo(f"worker {worker}: {result.finish_reason} in {result.seconds:.1f} s, {result.pages:,} pages")
    if result.finish_reason == "shutdown":
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_OK if result.finish_reason == "finished" else EXIT_PARTIAL)


@click.command()
@REDIS_OPTION
@click.option("--db", "db", default="archive.db", show_default=True, type=click.Path(dir_okay=False),
              help="The SQLite archive.")
@click.option("--spider", default="tpls", show_default=True, help="Which spider's stream to drain.")
@click.option("--site-url", default=None, metavar="URL", help="Recorded with the run [default: the profile's].")
@click.option("--until-settled", is_flag=True,
              help="Exit once the frontier is empty, no worker is alive and the stream is drained.")
def write(redis_url, db, spider, site_url, until_settled):
    """Store the workers' pages into the archive: the fleet's one archive writer.

    Entries are acknowledged only once stored; a writer stopped or killed
    resumes from the first page it had not stored.
    """
    import signal

    from .common import writer_lock
    from ..distributed.writer import drain
    from ..profiles import get_profile

    client = connect_or_fail(redis_url)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with writer_lock(db, "write"):
        result = drain(client, spider=spider, site_url=site_url or get_profile(spider).base_url,
                       db=Path(db), media_dir=Path(db).resolve().parent / "media",
                       warc_root=Path(db).resolve().parent / "warcs",
                       command=" ".join(["lsarchive", *sys.argv[1:]]), until_settled=until_settled)
    if result.status == "failed":
        fail(f"write failed after {result.stored:,} pages: {result.reason}; what was stored is whole and "
             "the stream keeps the rest: run the same command to carry on", EXIT_PARTIAL)
    counts = result.counts
    click.echo(f"write {result.status}: {result.stored:,} pages stored ({result.replayed:,} taken over "
               f"from a previous writer), {counts.get('new', 0):,} new articles, "
               f"{counts.get('updated', 0):,} updated, {result.errors:,} errors; run #{result.run_id} in {db}")
    if result.status != "finished":
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_PARTIAL if result.errors else EXIT_OK)


@click.command()
@REDIS_OPTION
@click.option("--spider", default="tpls", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def status(redis_url, spider, as_json):
    """The fleet: frontier size, workers alive, requests per host, stream backlog, errors."""
    import json

    from ..distributed.status import fleet_status, format_status

    state = fleet_status(connect_or_fail(redis_url), spider)
    click.echo(json.dumps(state) if as_json else format_status(state))
