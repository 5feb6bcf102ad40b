"""The `lsarchive` command.

Exit codes (scripts can rely on them):
  0  done, nothing went wrong
  1  done, but some pages could not be fetched or extracted (they are recorded)
  2  bad usage or input (click's usage errors use 2 as well)
  3  the site could not be reached
  130 interrupted (Ctrl-C); a crawl resumes where it stopped
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .cli_checks import ArchivePath, OneLineErrors, ProfileName, WebURL, check_page_pairs, only_with

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

DB_OPTION = click.option(
    "--db", "db", default="archive.db", show_default=True,
    type=ArchivePath(), help="The SQLite archive.",
)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"lsarchive: {message}", err=True)
    sys.exit(code)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lsarchive")
def main():
    """Archive the Lạng Sơn city news portal into a searchable SQLite database.

    \b
    Quick start (offline, against the bundled mirror of the portal):
      lsarchive crawl --mirror        # crawl a local mirror into archive.db
      lsarchive search "thi dua"      # search, with or without diacritics
      lsarchive stats                 # what the archive holds
    """


# mirror ----------------------------------------------------------------------
@main.command()
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
def mirror(articles, seed, port, host, edits, additions, faults, latency):
    """Serve the offline mirror: a deterministic Drupal 7 replica of the portal.

    The mirror answers at http://HOST:PORT/tpls/ like the live site at
    http://www.langson.gov.vn/tpls/, so crawling either runs the same code.

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
    from .mirror import run_mirror
    from .mirror.faults import FaultSpecError

    seconds = parse_duration(latency)
    if seconds is None:
        fail(f"--latency: {latency!r} is not a duration (e.g. 50ms, 0.2s, 0)")
    try:
        run_mirror(articles=articles, seed=seed, port=port, edits=edits, additions=additions, host=host,
                   faults=faults)
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
@main.command(cls=only_with(articles="use_mirror", seed="use_mirror"))
@click.option("--site-url", default=None, metavar="URL", type=WebURL(),
              help="Base URL of the portal [default: the live portal, http://www.langson.gov.vn/tpls/].")
@click.option("--mirror", "use_mirror", is_flag=True,
              help="Start the offline mirror in the background and crawl it.")
@click.option("--articles", default=240, show_default=True, type=click.IntRange(1, 100_000),
              help="With --mirror: how many articles it serves.")
@click.option("--seed", default=1, show_default=True, type=int, help="With --mirror: its seed.")
@DB_OPTION
@click.option("--spider", default="tpls", show_default=True, type=ProfileName(), help="Which spider (site profile) to run.")
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
              help="With --redis: seconds between two requests to a host, fleet-wide, instead of robots.txt's.")
@click.option("--concurrency", default=None, type=click.IntRange(1), metavar="N",
              help="With --redis: requests in flight in this worker [default: 16].")
def crawl(site_url, use_mirror, articles, seed, db, spider, full, refresh, media, warc,
          warc_max_size, politeness, contact_url, progress, max_page_size, timeout, verbose,
          redis_url, worker, crawl_delay, concurrency):
    """Crawl the portal into the archive.

    Polite by default: obeys robots.txt and its Crawl-delay, AutoThrottle on.
    Incremental by default: once a crawl has walked everything, the next one
    stops in each section at the first listing page it already holds.
    Interrupted (Ctrl-C, kill -9)? Run the same command again: it resumes.
    """
    from .crawl.runner import crawl_settings, job_dir, note_job, prepare_resume, run_crawl
    from .crawl.spider import can_reach, is_loopback
    from .profiles import get_profile

    if use_mirror and site_url:
        fail("--mirror and --site-url are exclusive")
    if redis_url:
        if use_mirror:
            fail("--mirror and --redis are exclusive: start `lsarchive mirror` and give --site-url")
        from .cli_distributed import crawl_worker

        return crawl_worker(redis_url=redis_url, worker=worker, crawl_delay=crawl_delay, concurrency=concurrency,
                            site_url=site_url,
                            db=db, spider=spider, full=full, refresh=refresh, media=media, warc=warc,
                            warc_max_size=warc_max_size, politeness=politeness, contact_url=contact_url,
                            progress=progress, verbose=verbose)
    with writer_lock(db, "crawl"):
        server = None
        proxy = None
        if use_mirror:
            from .mirror import PORTAL_URL, MirrorServer, MirrorSite

            site = MirrorSite(articles=articles, seed=seed)
            server = MirrorServer(site).__enter__()
            # The portal's own URLs, through the mirror: the archive is what a
            # live crawl makes, and a resumed crawl does not care about the port.
            site_url, proxy = PORTAL_URL, server.proxy_url
            click.echo(f"mirror: {site.article_count:,} articles at {site_url} (served from {proxy})", err=True)
        try:
            target = site_url or get_profile(spider).base_url
            problem = can_reach(proxy or target)
            if problem:
                fail(f"{problem}; is the network up? (--mirror crawls the offline mirror)", EXIT_UNREACHABLE)
            if not contact_url and not proxy and not is_loopback(target):
                click.echo("note: pass --contact-url so that the site's owner can reach you "
                           "(it goes in the User-Agent)", err=True)
            jobdir = job_dir(db, spider)
            for note in prepare_resume(db, spider, jobdir, target):
                click.echo(note, err=True)
            note_job(jobdir, target)
            settings = crawl_settings(db=db, verbosity=verbose, politeness=politeness,
                                      contact_url=contact_url, progress=progress, extra={
                                          "LSARCHIVE_SITE_URL": site_url, "LSARCHIVE_FULL": full,
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
            result = run_crawl(spider, site_url, settings)
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    click.echo(
        f"crawl {result.finish_reason} in {result.seconds:.1f} s: {result.pages:,} pages, "
        f"{result.new:,} new articles, {result.updated:,} updated, {result.unchanged:,} unchanged, "
        f"{result.errors:,} errors; {result.total:,} articles in {db}"
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


@contextmanager
def writer_lock(db: str, command: str):
    """Hold the archive's writer lock, or exit 2 naming the process that holds it."""
    from .store.lock import ArchiveBusy, ArchiveLock

    lock = ArchiveLock(db, " ".join(["lsarchive", *sys.argv[1:]]) if sys.argv[1:] else f"lsarchive {command}")
    try:
        lock.acquire()
    except ArchiveBusy as exc:
        fail(f"{exc}; wait for it to end, or stop it (it resumes later)")
    except OSError as exc:
        fail(f"cannot lock {db}: {exc.strerror or exc}")
    try:
        if lock.stale is not None:
            note_takeover(db, lock.stale)
        yield lock
    finally:
        lock.release()


def note_takeover(db: str, holder) -> None:
    """The previous writer died holding the lock: say so, and record it."""
    from .store.archive import Archive

    click.echo(f"the previous writer of {db} ({holder.describe()}) ended without releasing it; "
               "taking over", err=True)
    if Path(db).exists():
        with Archive(db) as archive:
            archive.log_event("lock taken over", f"from {holder.describe()}")


# captures --------------------------------------------------------------------
@main.command()
@DB_OPTION
@click.option("--warcs", "warc_dir", default=None, type=click.Path(file_okay=False),
              help="Folder of WARC files [default: warcs/ beside the archive].")
@click.option("--into", "target", default=None, type=click.Path(dir_okay=False),
              help="Write to this archive instead of --db (e.g. an empty one to compare).")
@click.option("--profile", "profile_name", default="tpls", show_default=True, type=ProfileName(),
              help="Site profile.")
def reextract(db, warc_dir, target, profile_name):
    """Rebuild articles, images and credits from the WARC captures alone.

    No network: the pages come from the crawl's own WARC files, so a better
    extractor can be applied to old captures. Changed records become new
    revisions; nothing earlier is overwritten.
    """
    from .profiles import get_profile
    from .warc import warc_files

    folder = Path(warc_dir) if warc_dir else Path(db).parent / "warcs"
    paths = warc_files(folder)
    if not paths:
        fail(f"no WARC files in {folder}")
    _replay(paths, Path(target or db), get_profile(profile_name), label=f"reextract:{folder}",
            record_pages=target is not None)


@main.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@DB_OPTION
@click.option("--profile", "profile_name", default="tpls", show_default=True, type=ProfileName(),
              help="Site profile.")
def import_warc(files, db, profile_name):
    """Ingest WARC files of the portal made by other tools.

    wget --warc-file, Heritrix, Browsertrix, Wayback Machine downloads: the
    article pages in them go through the same extraction as a crawl.
    """
    from .profiles import get_profile

    _replay([Path(f) for f in files], Path(db), get_profile(profile_name),
            label="import:" + ",".join(Path(f).name for f in files), record_pages=True)


def _replay(paths, db, profile, *, label, record_pages):
    from .replay import replay

    def progress(result):
        if result.captures % 500 == 0:
            click.echo(f"  {result.captures:,} records read, {result.articles:,} articles", err=True)

    import signal

    # SIGTERM (a service manager's stop) ends the run as gracefully as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with writer_lock(str(db), "replay"):
        try:
            result = replay(paths, db, profile, label=label, record_pages=record_pages, progress=progress)
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
@main.command()
@click.argument("page")
@click.option("--url", default=None, type=WebURL(), help="The page's URL (required for a file).")
@click.option("--profile", "profile_name", default="tpls", show_default=True, type=ProfileName(),
              help="Site profile.")
def extract(page, url, profile_name):
    """Print the article record of PAGE (an HTML file or an http(s) URL) as JSON."""
    from .extract import extract_article
    from .profiles import get_profile
    from .record import ExtractionError

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
    from .wayback import unwrap

    # A Wayback replay URL: the original page behind it, with its original headers.
    replayed = unwrap(url, html, {"Content-Type": content_type} if content_type else None)
    content_type = replayed.headers.get("Content-Type", content_type)
    try:
        article = extract_article(replayed.body, replayed.url, get_profile(profile_name),
                                  content_type=content_type)
    except ExtractionError as exc:
        fail(f"not an article ({exc.stage}): {exc.reason}", EXIT_PARTIAL)
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


def fetch_page(url: str) -> tuple[bytes, str | None]:
    """The page's bytes and its Content-Type header (its charset comes first)."""
    import urllib.error
    import urllib.request

    from .crawl.settings import USER_AGENT

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        fail(f"{url}: HTTP {exc.code}", EXIT_PARTIAL)
    except (urllib.error.URLError, OSError) as exc:
        fail(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}", EXIT_UNREACHABLE)


@main.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--trafilatura/--no-trafilatura", "compare", default=True, show_default=True,
              help="Score trafilatura's body on the same pages, side by side (optional extra).")
@click.option("-v", "--verbose", is_flag=True, help="List every mismatch, page by page.")
def evaluate(dirs, compare, verbose):
    """Score the extractor on folders of pages with expected records.

    Each folder holds NAME.html and NAME.json ({"page_url": ..., "expect":
    {CONTRACT fields}}), as ../shared/realworld/ and tests/gold/ do. Prints
    per-field accuracy, body paragraph F1, failures, and trafilatura's body F1
    and both tools' time per page on the same pages.
    """
    from .evaluate import evaluate as run_evaluation
    from .evaluate import format_report

    check_page_pairs(dirs)
    report = run_evaluation([Path(d) for d in dirs], compare_trafilatura=compare)
    click.echo(format_report(report, verbose=verbose))
    sys.exit(EXIT_PARTIAL if report.failures else EXIT_OK)


# search ----------------------------------------------------------------------
@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search(query, limit, db, as_json):
    """Full-text search: ranked hits with date, title, URL and a snippet.

    Diacritics are optional: "thi dua", "thi đua" and "THI ĐUA" find the same
    articles. Best first: articles holding the words side by side, as typed
    (tones included), then folded, then scattered. Use "quoted phrases", OR,
    NOT, NEAR(…) and prefix* as in SQLite FTS5 (operators in capitals).
    """
    import sqlite3

    from .store.search import SearchSyntaxError
    from .store.search import search as run_search

    conn = open_read_only(db)
    tty = sys.stdout.isatty()
    start, end = ("\x1b[1;33m", "\x1b[0m") if tty and not as_json else ("[", "]")
    try:
        hits = run_search(conn, query, limit=limit, start=start, end=end)
    except SearchSyntaxError as exc:
        fail(str(exc))
    except sqlite3.OperationalError as exc:  # anything else FTS5 refuses: still one line
        fail(f"cannot search for {query!r}: {exc} (FTS5 syntax: \"phrase\", OR, NOT, prefix*)")
    for hit in hits:
        if as_json:
            click.echo(json.dumps(vars(hit), ensure_ascii=False))
            continue
        click.echo(f"{hit.published_at[:10]}  {click.style(hit.title, bold=True) if tty else hit.title}")
        click.echo(f"            {hit.url}")
        click.echo(f"            {hit.snippet}\n")
    if not as_json:
        click.echo(f"{len(hits)} hit{'s' if len(hits) != 1 else ''} for {query!r}", err=True)


def open_read_only(db: str):
    """A plain read-only sqlite3 connection: a search needs nothing more, and
    sqlite-utils (which Archive uses) takes longer to import than a search takes.
    Anything unusual (no file, not SQLite, a read-only folder) goes through the
    checks of open_archive, which say why in one line or open it immutable."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
        conn.execute("select 1 from articles limit 1")
        return conn
    except (sqlite3.Error, OSError):
        return open_archive(db).db.conn


def open_archive(db: str, *, whole: bool = False):
    """The archive for reading (cli_checks.open_archive: checked, read-only safe)."""
    from .cli_checks import open_archive as checked_archive

    return checked_archive(db, whole=whole)


# stats -----------------------------------------------------------------------
@main.command()
@DB_OPTION
@click.option("--plot", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
              help="Also draw the articles published per month to FILE.png (needs: pip install 'lsarchive[plot]').")
def stats(db, plot):
    """What the archive holds: articles by section and year, and the crawl runs."""
    archive = open_archive(db)
    if plot:
        write_timeline(archive, plot)
    q = archive.db.execute
    total = q("select count(*) from articles").fetchone()[0]
    click.echo(f"{total:,} articles in {db}\n")
    click.echo("by section")
    for section, count in q("select coalesce(section, '(none)'), count(*) from articles "
                            "group by 1 order by 2 desc"):
        click.echo(f"  {count:>7,}  {section}")
    click.echo("\nby year")
    for year, count in q("select year, count(*) from articles group by year order by year"):
        click.echo(f"  {year}  {count:>7,}")
    click.echo("\ncrawl runs")
    for row in q("select id, started_at, finished_at, status, pages_fetched, articles_new, "
                 "articles_updated, articles_unchanged, errors, site_url, "
                 + ("reason" if "reason" in archive.db["crawl_runs"].columns_dict else "null")
                 + " from crawl_runs order by id"):
        rid, started, finished, status, pages, new, updated, unchanged, errors, url, reason = row
        click.echo(f"  #{rid} {started} → {finished or '…'} {status}: {pages or 0:,} pages, "
                   f"{new or 0:,} new, {updated or 0:,} updated, {unchanged or 0:,} unchanged, "
                   f"{errors or 0:,} errors  {url}")
        if reason and status != "finished":
            click.echo(f"      {reason}")
    by_stage = q("select stage, count(*) from extraction_errors group by stage order by 2 desc").fetchall()
    if by_stage:
        click.echo(f"\n{sum(n for _, n in by_stage):,} pages could not be archived (table extraction_errors)")
        for stage, count in by_stage:
            click.echo(f"  {count:>7,}  {stage}")


from .cli_research import export, serve, write_timeline  # noqa: E402
from .search_eval_command import evaluate_search  # noqa: E402

main.add_command(serve)
main.add_command(export)
main.add_command(evaluate_search)

from .cli_distributed import status, write  # noqa: E402

main.add_command(write)
main.add_command(status)

if __name__ == "__main__":
    main()
