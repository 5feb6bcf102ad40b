"""What the archive holds per site: `lsarchive sites`.

The archive's `site` columns name sites; which site a failed page belongs to
is known only from its URL, so the caller passes `site_of(url)` (the profile
registry's answer) rather than this module knowing the registry.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Callable


RUN_NAMES_SITE = ("(site = :site or site = 'all' "
                  "or ',' || replace(site, ' ', '') || ',' like '%,' || :site || ',%')")
"""SQL: the crawl run's `site` names the site (alone, in a comma list, or `all`)."""


@dataclass
class SiteHoldings:
    articles: int = 0
    errors: int = 0
    last_run: dict | None = None
    """The latest crawl run that named the site: id, started_at, finished_at, status."""


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"pragma table_info({table})")}


def archived_sites(conn: sqlite3.Connection) -> list[str]:
    """Every site name the archive's articles carry."""
    if "site" not in _columns(conn, "articles"):
        return []
    return [name for (name,) in conn.execute(
        "select distinct site from articles where site is not null and site != '' order by site")]


def site_holdings(conn: sqlite3.Connection, names: list[str],
                  site_of: Callable[[str], str | None]) -> dict[str, SiteHoldings]:
    """Articles, failed pages and the last crawl run of each site in `names`."""
    holdings = {name: SiteHoldings() for name in names}
    if "site" in _columns(conn, "articles"):
        for name, count in conn.execute("select site, count(*) from articles group by site"):
            if name in holdings:
                holdings[name].articles = count
    if "url" in _columns(conn, "extraction_errors"):
        counts = Counter(site_of(url) for (url,) in conn.execute("select url from extraction_errors"))
        for name, count in counts.items():
            if name in holdings:
                holdings[name].errors = count
    for name, holding in holdings.items():
        holding.last_run = _last_run(conn, name)
    return holdings


def _last_run(conn: sqlite3.Connection, name: str) -> dict | None:
    """The latest run whose `site` names this site (alone, in a comma list, or
    `all`), else the latest run that stored one of its articles."""
    if "site" not in _columns(conn, "crawl_runs"):
        return None
    row = conn.execute(
        f"select id, started_at, finished_at, status from crawl_runs where {RUN_NAMES_SITE} "
        "order by id desc limit 1", {"site": name}).fetchone()
    if row is None and "crawl_run_id" in _columns(conn, "articles"):
        row = conn.execute(
            """select r.id, r.started_at, r.finished_at, r.status from crawl_runs r
               where r.id = (select max(crawl_run_id) from articles where site = ?)""", (name,)).fetchone()
    if row is None:
        return None
    return dict(zip(("id", "started_at", "finished_at", "status"), row))


def of_site(conn: sqlite3.Connection, ranked: list[tuple[int, float]], site: str) -> list[tuple[int, float]]:
    """The (article id, rank) pairs of `ranked` whose article belongs to `site`, in order."""
    kept: set[int] = set()
    ids = [article_id for article_id, _ in ranked]
    for start in range(0, len(ids), 500):  # SQLite's bound on parameters, with room to spare
        chunk = ids[start:start + 500]
        kept.update(row[0] for row in conn.execute(
            f"select id from articles where site = ? and id in ({','.join('?' * len(chunk))})", [site, *chunk]))
    return [hit for hit in ranked if hit[0] in kept]


def error_stages(conn: sqlite3.Connection, site: str,
                 site_of: Callable[[str], str | None]) -> list[tuple[str, int]]:
    """(stage, failed pages) of one site's pages, most first."""
    counts = Counter(stage for url, stage in conn.execute("select url, stage from extraction_errors")
                     if site_of(url) == site)
    return counts.most_common()
