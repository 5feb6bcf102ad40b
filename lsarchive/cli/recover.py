"""Commands for a site that may vanish: `wayback` (recover its captures from web
archives) and `coverage` (what is known of it against what is archived)."""

from __future__ import annotations

import signal
import sys

import click

from .checks import ProfileName, WebURL
from .common import DB_OPTION, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_UNREACHABLE, fail, writer_lock

IA_CDX = "https://web.archive.org/cdx/search/cdx"
DEFAULT_RATE = 0.25  # requests per second: one every 4 s, queries and fetches alike


@click.command()
@DB_OPTION
@click.option("--cdx", "cdx_url", default=IA_CDX, show_default=True, type=WebURL(),
              help="CDX server API (pywb-compatible), e.g. http://127.0.0.1:8080/COLL/cdx.")
@click.option("--replay", default=None, type=WebURL(),
              help="Where its captures replay [default: derived from --cdx: /web or /COLL].")
@click.option("--from", "year_from", default=None, type=click.IntRange(1990, 2100), help="First year of captures.")
@click.option("--to", "year_to", default=None, type=click.IntRange(1990, 2100), help="Last year of captures.")
@click.option("--all-captures", is_flag=True,
              help="Every distinct capture of each page (earlier texts become earlier revisions).")
@click.option("--rate", default=DEFAULT_RATE, show_default=True, type=click.FloatRange(0.001, 100),
              help="Requests per second at most, to the CDX server and its replay.")
@click.option("--site", "--profile", "profile_name", default="tpls", show_default=True, type=ProfileName(),
              help="Site (profile name): its base URL is the prefix asked for.")
def wayback(db, cdx_url, replay, year_from, year_to, all_captures, rate, profile_name):
    """Recover the site's pages from a web archive's captures.

    Lists the captures under the site's base URL through a CDX server API
    (the Internet Archive's by default), fetches each chosen capture's
    original bytes (`id_`), writes them to WARC and archives the articles
    with their capture time. Resumable: a capture fetched before is never
    fetched again. Politeness: --rate requests per second at most (one every
    4 s by default), 429 and 503 waited out as Retry-After says.
    """
    from ..cdx import GaveUp, Polite, Unreachable
    from ..crawl.settings import USER_AGENT
    from ..profiles import registered_site
    from ..web_archives import recover

    if year_from and year_to and year_from > year_to:
        fail(f"--from {year_from} is after --to {year_to}")

    def progress(result):
        if result.fetched % 10 == 0 or result.fetched == result.planned:
            left = result.time_left()
            eta = f", about {_duration(left)} left" if left is not None else ""
            click.echo(f"  {result.fetched:,}/{result.planned:,} captures fetched, {result.articles:,} articles, "
                       f"{result.media:,} media{eta}", err=True)

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with writer_lock(db, "wayback"):
        try:
            result = recover(db, registered_site(profile_name), cdx_url, polite=Polite(rate, USER_AGENT),
                             replay=replay, year_from=year_from, year_to=year_to,
                             all_captures=all_captures, progress=progress)
        except Unreachable as exc:
            fail(f"cannot reach the web archive ({exc}); nothing was lost, run again later", EXIT_UNREACHABLE)
        except GaveUp as exc:
            fail(f"the web archive refused: {exc}; what was stored is whole, run again later", EXIT_PARTIAL)
        except KeyboardInterrupt:
            fail("interrupted; what was stored is whole: run the same command to carry on", EXIT_INTERRUPTED)
    counts = result.counts
    click.echo(f"{result.listed:,} captures listed, {result.fetched:,} fetched: {result.articles:,} articles "
               f"({counts.get('new', 0):,} new, {counts.get('updated', 0):,} updated, "
               f"{counts.get('unchanged', 0):,} unchanged), {result.media:,} media, {result.errors:,} errors, "
               f"{result.waits:,} busy answers waited out; archive {db}")
    sys.exit(EXIT_PARTIAL if result.errors else EXIT_OK)


@click.command()
@DB_OPTION
@click.option("--site", "profile_name", default="tpls", show_default=True, type=ProfileName(),
              help="Site (profile name).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: per section and year, and the missing URLs.")
def coverage(db, profile_name, as_json):
    """Known articles against archived ones, per section and year; known URLs never captured.

    Known: article links seen on listings (live or in captures) and article
    pages a web archive lists (CDX). Missing: known, and archived nowhere
    with their text: look for them elsewhere.
    """
    import json

    from ..store.coverage_report import coverage_report
    from .common import open_archive

    archive = open_archive(db)
    report = coverage_report(archive.db.conn, profile_name)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'section':<28} {'year':>5} {'known':>7} {'archived':>9} {'missing':>8}")
    for row in report["by_section_year"]:
        click.echo(f"{(row['section'] or '?')[:28]:<28} {row['year'] or '?':>5} {row['known']:>7} "
                   f"{row['archived']:>9} {row['missing']:>8}")
    click.echo(f"\n{len(report['missing'])} known article URL(s) never archived with their text:")
    for url in report["missing"]:
        click.echo(f"  {url}")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
