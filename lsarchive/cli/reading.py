"""Commands that read the archive: `lsarchive search` and `lsarchive stats`."""

from __future__ import annotations

import sys

import click

from .common import DB_OPTION, fail, open_archive, open_read_only
from .sites import SITE_FILTER, require_site, site_of


# search ----------------------------------------------------------------------
@click.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@SITE_FILTER
def search(query, limit, db, as_json, site):
    """Full-text search: ranked hits with date, title, URL and a snippet.

    Diacritics are optional: "thi dua", "thi đua" and "THI ĐUA" find the same
    articles. Best first: articles holding the words side by side, as typed
    (tones included), then folded, then scattered. Use "quoted phrases", OR,
    NOT, NEAR(…) and prefix* as in SQLite FTS5 (operators in capitals).
    """
    import sqlite3

    from ..store.search import SearchSyntaxError
    from ..store.search import search as run_search

    conn = open_read_only(db)
    require_site(conn, site)
    tty = sys.stdout.isatty()
    start, end = ("\x1b[1;33m", "\x1b[0m") if tty and not as_json else ("[", "]")
    try:
        hits = run_search(conn, query, limit=limit, start=start, end=end, site=site)
    except SearchSyntaxError as exc:
        fail(str(exc))
    except sqlite3.OperationalError as exc:  # anything else FTS5 refuses: still one line
        fail(f"cannot search for {query!r}: {exc} (FTS5 syntax: \"phrase\", OR, NOT, prefix*)")
    import json

    for hit in hits:
        if as_json:
            click.echo(json.dumps(vars(hit), ensure_ascii=False))
            continue
        click.echo(f"{hit.published_at[:10]}  {click.style(hit.title, bold=True) if tty else hit.title}")
        click.echo(f"            {hit.url}")
        click.echo(f"            {hit.snippet}\n")
    if not as_json:
        click.echo(f"{len(hits)} hit{'s' if len(hits) != 1 else ''} for {query!r}", err=True)


# stats -----------------------------------------------------------------------
@click.command()
@DB_OPTION
@click.option("--plot", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
              help="Also draw the articles published per month to FILE.png (needs: pip install 'lsarchive[plot]').")
@SITE_FILTER
def stats(db, plot, site):
    """What the archive holds: articles by section and year, and the crawl runs."""
    from ..store.sites import RUN_NAMES_SITE, error_stages

    archive = open_archive(db)
    require_site(archive.db.conn, site)
    if plot:
        from .research import write_timeline

        write_timeline(archive, plot)
    q = archive.db.execute
    # --site: the same queries on that site's rows (":site is null" keeps them all otherwise).
    only = {"site": site}
    of_site = "where (:site is null or site = :site)"
    total = q(f"select count(*) from articles {of_site}", only).fetchone()[0]
    click.echo(f"{total:,} articles{f' of {site}' if site else ''} in {db}\n")
    click.echo("by section")
    for section, count in q("select coalesce(section, '(none)'), count(*) from articles "
                            f"{of_site} group by 1 order by 2 desc", only):
        click.echo(f"  {count:>7,}  {section}")
    click.echo("\nby year")
    for year, count in q(f"select year, count(*) from articles {of_site} group by year order by year", only):
        click.echo(f"  {year}  {count:>7,}")
    click.echo("\ncrawl runs")
    run_columns = archive.db["crawl_runs"].columns_dict
    for row in q("select id, started_at, finished_at, status, pages_fetched, articles_new, "
                 "articles_updated, articles_unchanged, errors, site_url, "
                 + ("reason" if "reason" in run_columns else "null") + ", "
                 + ("non_articles" if "non_articles" in run_columns else "null")
                 + f" from crawl_runs where (:site is null or {RUN_NAMES_SITE}) order by id", only):
        rid, started, finished, status, pages, new, updated, unchanged, errors, url, reason, non_articles = row
        click.echo(f"  #{rid} {started} → {finished or '…'} {status}: {pages or 0:,} pages, "
                   f"{new or 0:,} new, {updated or 0:,} updated, {unchanged or 0:,} unchanged, "
                   f"{non_articles or 0:,} not articles, {errors or 0:,} errors  {url}")
        if reason and status != "finished":
            click.echo(f"      {reason}")
    if "not_article" in archive.db["pages"].columns_dict and not site:
        # "listing page: 12 nodes" → "listing page": the kind of page, not each page's detail
        by_kind = q("select substr(not_article, 1, instr(not_article || ':', ':') - 1), count(*) from pages "
                    "where not_article is not null group by 1 order by 2 desc").fetchall()
        if by_kind:
            click.echo(f"\n{sum(n for _, n in by_kind):,} pages met as articles were not articles "
                       "(no errors; pages.not_article says why)")
            for kind, count in by_kind:
                click.echo(f"  {count:>7,}  {kind}")
    by_stage = (error_stages(archive.db.conn, site, site_of) if site else
                q("select stage, count(*) from extraction_errors group by stage order by 2 desc").fetchall())
    if by_stage:
        click.echo(f"\n{sum(n for _, n in by_stage):,} pages could not be archived (table extraction_errors)")
        for stage, count in by_stage:
            click.echo(f"  {count:>7,}  {stage}")
