"""Commands that read captures and pages: `reextract`, `import-warc`, `extract`, `evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .checks import WebURL, check_page_pairs
from .common import DB_OPTION, EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, EXIT_UNREACHABLE, fail, writer_lock


# captures --------------------------------------------------------------------
SITES_OPTION = click.option(
    "--site", "--profile", "sites", multiple=True, metavar="NAME",
    help="Only the pages of these sites (repeat or comma-separate; a sub-site without a profile by its "
         "URL) [default: every page of a known site or of any langson.gov.vn sub-site, each read with "
         "its site's profile version of the capture's date].")

@click.command()
@DB_OPTION
@click.option("--warcs", "warc_dir", default=None, type=click.Path(file_okay=False),
              help="Folder of WARC files [default: warcs/ beside the archive].")
@click.option("--into", "target", default=None, type=click.Path(dir_okay=False),
              help="Write to this archive instead of --db (e.g. an empty one to compare).")
@SITES_OPTION
def reextract(db, warc_dir, target, sites):
    """Rebuild articles, images and credits from the WARC captures alone.

    No network: the pages come from the crawl's own WARC files, so a better
    extractor can be applied to old captures. Changed records become new
    revisions; nothing earlier is overwritten.
    """
    from ..warc import warc_files

    folder = Path(warc_dir) if warc_dir else Path(db).parent / "warcs"
    paths = warc_files(folder)
    if not paths:
        fail(f"no WARC files in {folder}")
    _replay(paths, Path(target or db), sites, label=f"reextract:{folder}",
            record_pages=target is not None)


@click.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@DB_OPTION
@SITES_OPTION
def import_warc(files, db, sites):
    """Ingest WARC files of the portal made by other tools.

    wget --warc-file, Heritrix, Browsertrix, Wayback Machine downloads: the
    article pages in them go through the same extraction as a crawl.
    """
    _replay([Path(f) for f in files], Path(db), sites,
            label="import:" + ",".join(Path(f).name for f in files), record_pages=True)


def _replay(paths, db, site_names, *, label, record_pages):
    from ..crawl.targets import UnknownSite, resolve_sites
    from ..replay import PageSites, replay

    try:
        sites = PageSites(resolve_sites(list(site_names)) if site_names else None)
    except UnknownSite as exc:
        fail(str(exc))

    def progress(result):
        if result.captures % 500 == 0:
            click.echo(f"  {result.captures:,} records read, {result.articles:,} articles", err=True)

    import signal

    # SIGTERM (a service manager's stop) ends the run as gracefully as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with writer_lock(str(db), "replay"):
        try:
            result = replay(paths, db, sites, label=label, record_pages=record_pages, progress=progress)
        except KeyboardInterrupt:
            fail("interrupted; what was stored is whole: run the same command to carry on", EXIT_INTERRUPTED)
        except Exception as exc:  # an unreadable WARC: say which, keep what was stored
            fail(f"cannot read captures: {type(exc).__name__}: {exc}", EXIT_PARTIAL)
    counts = result.counts
    click.echo(f"{result.captures:,} responses read from {len(paths)} file(s): {result.articles:,} articles "
               f"({counts.get('new', 0):,} new, {counts.get('updated', 0):,} updated, "
               f"{counts.get('unchanged', 0):,} unchanged), {result.errors:,} errors; archive {db}")
    sys.exit(EXIT_PARTIAL if result.errors else EXIT_OK)


# extract ---------------------------------------------------------------------
class SiteName(click.ParamType):
    """A registered site's name, or `drupal7` for the generic Drupal 7 profile."""

    name = "SITE"

    def convert(self, value, param, ctx):
        from ..profiles import GENERIC, REGISTERED

        if value != GENERIC.name and value not in REGISTERED:
            known = ", ".join([*REGISTERED, GENERIC.name])
            self.fail(f"unknown site {value[:60]!r} (known: {known})", param, ctx)
        return value


class CaptureDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        from datetime import date

        try:
            date.fromisoformat(value[:10])
        except ValueError:
            self.fail(f"{value[:60]!r} is not a date (YYYY-MM-DD, or an ISO 8601 time)", param, ctx)
        return value


@click.command()
@click.argument("page")
@click.option("--url", default=None, type=WebURL(), help="The page's URL (required for a file).")
@click.option("--site", "--profile", "site_name", default=None, type=SiteName(),
              help="Read the page as this site's [default: the site its URL belongs to; "
                   "any other page with the generic Drupal 7 profile].")
@click.option("--captured", default=None, type=CaptureDate(),
              help="When the page was captured: picks the site's profile version "
                   "[default: the newest version that reads the page without fallbacks].")
@click.option("--provenance", is_flag=True,
              help="Add how the record was made: profile, version, fields that fell back.")
def extract(page, url, site_name, captured, provenance):
    """Print the article record of PAGE (an HTML file or an http(s) URL) as JSON.

    Exits 1 with one line when the page is no article (a listing, a search
    page, a "page not found" even if served with status 200) or cannot be read.
    """
    from ..extract import extract_for_site
    from ..record import ExtractionError, NotAnArticle

    if page.startswith(("http://", "https://")):
        page = WebURL().convert(page, None, click.get_current_context())
        url = url or page
        html, content_type = fetch_page(page)
    else:
        path = Path(page)
        if path.is_dir():
            fail(f"{page} is a folder: give one HTML page (a file or an http(s) URL)")
        if not path.is_file():
            fail(f"no such file: {page}")
        if not url:
            fail("--url is required with a file (the page's address resolves its links)")
        content_type = None
        try:
            html = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {page}: {exc.strerror or exc}")
    from ..wayback import unwrap

    # A Wayback replay URL: the original page behind it, with its original headers.
    replayed = unwrap(url, html, {"Content-Type": content_type} if content_type else None)
    content_type = replayed.headers.get("Content-Type", content_type)
    site = _site(site_name, replayed.url)
    try:
        article = extract_for_site(replayed.body, replayed.url, site, captured_at=captured or replayed.captured_at,
                                   content_type=content_type)
    except NotAnArticle as exc:
        fail(f"not an article: {exc.reason}", EXIT_PARTIAL)
    except ExtractionError as exc:
        fail(f"not an article ({exc.stage}): {exc.reason}", EXIT_PARTIAL)
    record = article.to_dict()
    if provenance:
        record["extraction"] = article.extraction
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


def _site(name: str | None, url: str):
    """The site named, else the one the URL belongs to, else the generic Drupal 7 site."""
    from ..profiles import GENERIC, registered_site, site_for_url

    if name == GENERIC.name:
        return GENERIC
    if name:
        return registered_site(name)
    return site_for_url(url) or GENERIC


def fetch_page(url: str) -> tuple[bytes, str | None]:
    """The page's bytes and its Content-Type header (its charset comes first)."""
    import urllib.error
    import urllib.request

    from ..crawl.settings import USER_AGENT

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        fail(f"{url}: HTTP {exc.code}", EXIT_PARTIAL)
    except (urllib.error.URLError, OSError) as exc:
        fail(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}", EXIT_UNREACHABLE)


@click.command()
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--site", "site_name", default=None, metavar="NAME",
              help="Evaluate this site's profile versions on their gold pages "
                   "(tests/gold/NAME/VERSION/, or the DIRs given); drupal7 for the generic profile.")
@click.option("--version", "version", default=None, metavar="V", help="With --site: only this profile version.")
@click.option("--trafilatura/--no-trafilatura", "compare", default=True, show_default=True,
              help="Score trafilatura's body on the same pages, side by side (optional extra).")
@click.option("--rounds", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Time each tool this many times per page (the median is reported); 1 to score only.")
@click.option("-v", "--verbose", is_flag=True, help="List every mismatch, page by page.")
def evaluate(dirs, site_name, version, compare, rounds, verbose):
    """Score the extractor on folders of pages with expected records.

    Each folder holds NAME.html and NAME.json ({"page_url": ..., "expect":
    {CONTRACT fields}}), as ../shared/realworld/ and tests/gold/ do. Prints
    per-field accuracy, body paragraph F1, failures, and trafilatura's body F1
    and both tools' time per page on the same pages. Each page is read with
    the profile its URL names (and its origin.captured_at, if given).

    With --site, each profile version of the site is scored on its own gold
    pages, read with that version whatever their dates: one report per version.
    """
    from ..evaluate import evaluate as run_evaluation
    from ..evaluate import evaluated_site, format_report, version_dirs

    if version and not site_name:
        fail("evaluate: --version goes with --site")
    if not site_name:
        if not dirs:
            fail("evaluate: give DIR... or --site NAME (see lsarchive evaluate --help)")
        check_page_pairs(dirs)
        report = run_evaluation([Path(d) for d in dirs], compare_trafilatura=compare, repeats=rounds)
        click.echo(format_report(report, verbose=verbose))
        sys.exit(EXIT_PARTIAL if report.failures else EXIT_OK)
    try:
        site = evaluated_site(site_name)
        found = version_dirs(site, version, [Path(d) for d in dirs])
    except KeyError as exc:
        fail(f"evaluate: {exc.args[0]}")
    except FileNotFoundError as exc:
        fail(f"evaluate: {exc}")
    check_page_pairs([str(directory) for _, directory in found])
    failures = 0
    for profile, directory in found:
        report = run_evaluation([directory], compare_trafilatura=compare, repeats=rounds, profile=profile)
        until = f"until {profile.valid_until}" if profile.valid_until else "current"
        click.echo(f"== {site.name} version {profile.version} ({until}): {directory}")
        click.echo(format_report(report, verbose=verbose) + "\n")
        failures += report.failures
    sys.exit(EXIT_PARTIAL if failures else EXIT_OK)
