"""`lsarchive coverage`: the articles known to exist against those archived with their text.

Known: every article link seen on a listing (`article_links`, from crawls and
from listings captured by web archives) and every page of the site a web
archive lists (`web_captures`) that is an article by its URL's shape or by
what was extracted from it. Archived: an article row, under its canonical URL
or any URL a page of it was fetched at. URLs are compared by their path on the
site, so captures under the portal's host and crawls of a mirror agree.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from ..profiles import get_profile

ARTICLE_OUTCOMES = ("new", "updated", "unchanged")


def coverage_report(conn: sqlite3.Connection, site: str) -> dict:
    profile = get_profile(site)
    archived_paths: set[str] = set()
    cells: dict[tuple, dict] = defaultdict(lambda: {"known": 0, "archived": 0, "missing": 0})
    for url, section, year in conn.execute("select url, section, year from articles where site = ?", [site]):
        archived_paths.add(profile.site_path(url))
        cell = cells[(section, year)]
        cell["known"] += 1
        cell["archived"] += 1
    for (url,) in conn.execute("select p.url from pages p join articles a on a.id = p.article_id where a.site = ?",
                               [site]):
        archived_paths.add(profile.site_path(url))
    known: dict[str, tuple[str, str | None]] = {}  # path -> (url, section)
    for url, section in conn.execute(
            """select l.url, s.name from article_links l left join sections s on s.url = l.section_url
               where l.site = ? order by l.id""", [site]):
        known.setdefault(profile.site_path(url), (url, section))
    if "web_captures" in _tables(conn):
        for url, outcome in conn.execute(
                "select url, max(outcome in (?, ?, ?)) from web_captures where site = ? and kind = 'page' "
                "group by url order by url", [*ARTICLE_OUTCOMES, site]):
            if outcome or profile.node_id_from_url(profile.absolute(profile.site_path(url) or "")):
                known.setdefault(profile.site_path(url), (url, None))
    missing = []
    for path, (url, section) in known.items():
        if path not in archived_paths:
            missing.append(url)
            cell = cells[(section, None)]
            cell["known"] += 1
            cell["missing"] += 1
    rows = [{"section": section, "year": year, **counts}
            for (section, year), counts in sorted(cells.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or 0))]
    return {"site": site, "by_section_year": rows, "missing": sorted(missing)}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
