"""Commands that fetch: `lsarchive mirror` (the offline mirror) and `lsarchive crawl`."""

from __future__ import annotations

import sys

import click

from .checks import WebURL, only_with
from .common import (DB_OPTION, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_UNREACHABLE, fail,
                     writer_lock)


# mirror ----------------------------------------------------------------------
@click.command()
@click.option("--articles", default=240, show_default=True, type=click.IntRange(1, 100_000),
              help="How many articles the mirror serves.")
@click.option("--seed", default=1, show_default=True, type=int,
              help="Seed of the generated content: same seed, same site, byte for byte.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--edit", "edits", default=0, show_default=True, type=click.IntRange(0),
              help="Edit this many existing articles (new text, new Last-Modified).")
@click.option("--add", "additions", default=0, show_default=True, type=click.IntRange(0),
              help="Publish this many new articles on top of the others.")
@click.option("--faults", default=None, metavar="SPEC",
              help="Answer like a broken server on some pages (see below), e.g. 'all' or "
                   "'500:2,stall@node/1234,offsite=http://127.0.0.1:9/tpls/'.")
@click.option("--latency", default="0", show_default=True, metavar="DURATION",
              help="Wait this long before each response (e.g. 50ms, 0.2s): a network-bound server.")
@click.option("--as-of", "as_of", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Serve the province as it stood that day: only articles published by then, and the "
                   "city portal in its 2012-2018 theme before 2019-01-01.")
@click.option("--sibling-articles", default=None, type=click.IntRange(1, 100_000), metavar="N",
              help="Articles of each sibling sub-site (/sotttt/, /caoloc/, /bqlkkt/) [default: max(12, articles/8)].")
def mirror(articles, seed, port, host, edits, additions, faults, latency, as_of, sibling_articles):
    """Serve the offline mirror: a deterministic Drupal 7 replica of the portal.

    The mirror answers at http://HOST:PORT/tpls/ like the live site at
    http://www.langson.gov.vn/tpls/, so crawling either runs the same code.
    Beside the city portal it serves three sibling sub-sites of the province
    on the same host, each in its own theme: /sotttt/, /caoloc/, /bqlkkt/
    (docs/mirror.md).

    \b
    --faults SPEC, a comma-separated list of:
      KIND            KIND on one page chosen by the seed (an article;
                      a section for the pager kinds)
      KIND:N          KIND on N pages chosen by the seed
      KIND@PATH       KIND on this page (relative to /tpls/: node/N, an
                      alias, a section's path; listing pages as SECTION?page=N)
      all             every kind once
      seed=S          seed of the choices [default: --seed]
      offsite=URL     where off-site redirects and pagers lead
                      [default: http://evil.example.test/tpls/]
      retry_after=S   Retry-After of the transient 503 and 429 [default: 2]
      stall=S         how long a stalled answer hangs, at most 600 [default: 90]
      oversized=MB    size of the oversized page [default: 50]
      bomb=MB         decompressed size of the gzip bomb [default: 1024]
      nolast          pagers drop Drupal's "last" link
    \b
    KIND is one of:
      500 503 503-long 429 404      HTTP errors; 503 and 429 are transient
                                    (Retry-After, then the page), 503-long
                                    always says Retry-After: 3600
      reset truncated stall         broken connections: TCP reset mid-body,
                                    body shorter than Content-Length, no answer
      redirect-loop offsite-redirect
      oversized gzip-bomb           a huge page; a small gzip body, huge unzipped
      bad-bytes wrong-charset       a 0xFF in UTF-8 text; a header saying
                                    iso-8859-1 for UTF-8 bytes
      soft-404                      200 OK with the 'page not found' page
      endless-pager offsite-pager   a section's pager goes on past its end
                                    (new fake article URLs each page), or its
                                    last page's 'next' leads off-site
    The faulted URLs are printed at start; docs/reliability.md says what a
    crawl does with each.
    """
    from ..mirror import run_mirror
    from ..mirror.faults import FaultSpecError

    seconds = parse_duration(latency)
    if seconds is None:
        fail(f"--latency: {latency!r} is not a duration (e.g. 50ms, 0.2s, 0)")
    try:
        run_mirror(articles=articles, seed=seed, port=port, edits=edits, additions=additions, host=host,
                   faults=faults, latency=seconds, as_of=as_of.date() if as_of else None,
                   sibling_articles=sibling_articles)
    except FaultSpecError as exc:
        fail(f"--faults: {exc}")
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def parse_duration(text: str) -> float | None:
    """'50ms', '0.2s', '0.2' → seconds; None if it is not a duration."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*", text)
    if not match:
        return None
    return float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)


# crawl -----------------------------------------------------------------------
@click.command(cls=only_with(articles="use_mirror", seed="use_mirror"))
@click.option("--site-url", default=None, metavar="URL", type=WebURL(),
              help="Base URL of the portal [default: the live portal, http://www.langson.gov.vn/tpls/].")
@click.option("--mirror", "use_mirror", is_flag=True,
              help="Start the offline mirror in the background and crawl it.")
@click.option("--proxy", "proxy_url", default=None, metavar="URL", type=WebURL(),
              help="Send every request through this HTTP proxy, e.g. a running `lsarchive mirror` "
                   "(which serves the portal's URLs as its proxy).")
@click.option("--articles", default=240, show_default=True, type=click.IntRange(1, 100_000),
              help="With --mirror: how many articles it serves.")
@click.option("--seed", default=1, show_default=True, type=int, help="With --mirror: its seed.")
@DB_OPTION
@click.option("--site", "--spider", "sites", multiple=True, metavar="NAME",
              help="Which sites to crawl, in one run sharing the host's politeness: a site of "
                   "`lsarchive sites`, `all` for every site with a profile, or the path name of another "
                   "langson.gov.vn sub-site (read with the generic Drupal 7 profile). Repeat or "
                   "comma-separate.  [default: tpls]")
@click.option("--full", is_flag=True,
              help="Walk every listing page, not only down to the first page of archived articles.")
@click.option("--refresh", is_flag=True,
              help="Also re-fetch every archived article with a conditional request; "
                   "a changed one gets a new revision.")
@click.option("--media/--no-media", default=True, show_default=True,
              help="Download images and attached documents (stored once, by sha256, under media/).")
@click.option("--warc/--no-warc", default=True, show_default=True,
              help="Capture every HTTP exchange as WARC under warcs/ beside the archive.")
@click.option("--warc-max-size", default=1_000_000_000, show_default=True, type=click.IntRange(100_000),
              help="Start a new WARC file past this many bytes.")
@click.option("--politeness", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
              help="auto: Crawl-delay and AutoThrottle for every host but loopback. "
                   "off disables them everywhere (with a warning).")
@click.option("--contact-url", default=None, metavar="URL",
              help="Put in the User-Agent so the site's owner can reach you.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="A status line on stderr while crawling.")
@click.option("--max-page-size", default=20, show_default=True, type=click.IntRange(1), metavar="MB",
              help="Give up on (and record) a page larger than this, before or after gzip decompression.")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(1), metavar="SECONDS",
              help="Give up on a request the server does not answer within this time (retried first).")
@click.option("-v", "--verbose", count=True, help="-v: Scrapy's log; -vv: debug.")
@click.option("--redis", "redis_url", default=None, metavar="URL",
              help="Run as one worker of a distributed crawl sharing this Redis (docs/distributed.md); "
                   "`lsarchive write` stores the pages.")
@click.option("--worker", default=None, metavar="NAME", help="With --redis: this worker's name [default: HOST-PID].")
@click.option("--crawl-delay", default=None, type=click.FloatRange(0), metavar="SECONDS",
              help="At least SECONDS between two requests to a host (fleet-wide with --redis), "
                   "instead of robots.txt's Crawl-delay; AutoThrottle may add to it. Needs politeness "
                   "(the default for every host but loopback; --politeness on for the mirror).")
@click.option("--concurrency", default=None, type=click.IntRange(1), metavar="N",
              help="With --redis: requests in flight in this worker [default: 16].")
def crawl(site_url, use_mirror, proxy_url, articles, seed, db, sites, full, refresh, media, warc,
          warc_max_size, politeness, contact_url, progress, max_page_size, timeout, verbose,
          redis_url, worker, crawl_delay, concurrency):
    """Crawl the portal into the archive.

    Polite by default: obeys robots.txt and its Crawl-delay, AutoThrottle on.
    Incremental by default: once a crawl has walked everything, the next one
    stops in each section at the first listing page it already holds.
    Interrupted (Ctrl-C, kill -9)? Run the same command again: it resumes.
    """
    from ..crawl.runner import crawl_settings, job_dir, note_job, prepare_resume, run_crawl
    from ..crawl.spider import can_reach, is_loopback
    from ..crawl.targets import UnknownSite, crawl_label, crawl_spec, resolve_sites

    if use_mirror and site_url:
        fail("--mirror and --site-url are exclusive")
    if use_mirror and proxy_url:
        fail("--mirror and --proxy are exclusive: --mirror is its own proxy")
    try:
        resolved = resolve_sites(list(sites) or ["tpls"], site_url)
    except UnknownSite as exc:
        fail(str(exc))
    spider, spec = crawl_label(resolved), crawl_spec(resolved)
    if redis_url:
        if use_mirror:
            fail("--mirror and --redis are exclusive: start `lsarchive mirror` and give --site-url")
        if proxy_url:
            fail("--proxy is not for --redis workers yet: give --site-url")
        from .fleet import crawl_worker

        return crawl_worker(redis_url=redis_url, worker=worker, crawl_delay=crawl_delay, concurrency=concurrency,
                            site_url=site_url,
                            db=db, spider=spec, full=full, refresh=refresh, media=media, warc=warc,
                            warc_max_size=warc_max_size, politeness=politeness, contact_url=contact_url,
                            progress=progress, verbose=verbose)
    with writer_lock(db, "crawl"):
        server = None
        proxy = proxy_url
        if use_mirror:
            from ..mirror import PORTAL_URL, MirrorServer, MirrorSite

            site = MirrorSite(articles=articles, seed=seed)
            server = MirrorServer(site).__enter__()
            # The portal's own URLs, through the mirror: the archive is what a
            # live crawl makes, and a resumed crawl does not care about the port.
            proxy = server.proxy_url
            click.echo(f"mirror: {site.article_count:,} articles at {PORTAL_URL} (served from {proxy})", err=True)
        try:
            target = " ".join(s.base_url for s in resolved.values())
            problem = can_reach(proxy or target.split()[0])
            if problem:
                fail(f"{problem}; is the network up? (--mirror crawls the offline mirror)", EXIT_UNREACHABLE)
            if not contact_url and not proxy and not is_loopback(target.split()[0]):
                click.echo("note: pass --contact-url so that the site's owner can reach you "
                           "(it goes in the User-Agent)", err=True)
            jobdir = job_dir(db, spider)
            for note in prepare_resume(db, spider, jobdir, target):
                click.echo(note, err=True)
            note_job(jobdir, target)
            settings = crawl_settings(db=db, verbosity=verbose, politeness=politeness,
                                      contact_url=contact_url, progress=progress, extra={
                                          "LSARCHIVE_SITE_URL": site_url, "LSARCHIVE_FULL": full,
                                          "LSARCHIVE_CRAWL_DELAY": crawl_delay,
                                          "LSARCHIVE_REFRESH": refresh, "LSARCHIVE_MEDIA": media,
                                          "LSARCHIVE_WARC_ENABLED": warc,
                                          "LSARCHIVE_WARC_MAX_SIZE": warc_max_size,
                                          "LSARCHIVE_PROXY": proxy,
                                          "LSARCHIVE_COMMAND": " ".join(["lsarchive", *sys.argv[1:]]),
                                          "JOBDIR": str(jobdir),
                                          "DOWNLOAD_MAXSIZE": max_page_size * 1024 * 1024,
                                          "DOWNLOAD_WARNSIZE": max_page_size * 1024 * 1024 // 4,
                                          "DOWNLOAD_TIMEOUT": timeout,
                                      })
            result = run_crawl(spec, site_url, settings)
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    click.echo(
        f"crawl {result.finish_reason} in {result.seconds:.1f} s: {result.pages:,} pages, "
        f"{result.new:,} new articles, {result.updated:,} updated, {result.unchanged:,} unchanged, "
        f"{result.non_articles:,} not articles, {result.errors:,} errors; {result.total:,} articles in {db}"
    )
    if result.errors_by_stage or result.refused:
        stages = ", ".join(f"{stage} {count:,}" for stage, count in result.errors_by_stage.items())
        click.echo(f"failed pages by stage: {stages or 'none'}; "
                   f"{result.refused:,} requests outside the site refused")
    if result.finish_reason == "shutdown":
        click.echo(f"stopped; job state kept in {jobdir}: run the same command to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if result.finish_reason != "finished":
        click.echo(f"lsarchive: crawl {result.finish_reason}; what was stored is whole: "
                   "run the same command to carry on", err=True)
        sys.exit(EXIT_PARTIAL)
    if result.pages == 0:
        sys.exit(EXIT_UNREACHABLE)
    sys.exit(EXIT_PARTIAL if result.errors else EXIT_OK)
