"""A ranked search with other filters: the page is ranked among the rows the filters keep.

A reader who searches and then narrows the page (a facet's link such as
`section=Kinh tế`, a column filter, `_where=`, `_through=`) asks for the
articles that match the search *and* the filters, best first. Ranking
(store.search.ranked_ids) knows the search alone; Datasette knows the
filters, and writes them into its SQL together with the search's own
clause (ranking.filter_arguments). So the where clause is taken from the
query Datasette runs for the page's rows, `select … from articles where W
order by id desc limit N`: whatever wrote W (Datasette's column filters,
its `_where` after its permission check, another plugin's filter), the
ranked page keeps exactly the rows W keeps. The matches are ranked as
`lsarchive search --site` ranks them: the ranking, then kept.

If the page cannot be ranked (W takes longer than Datasette's time limit,
or Datasette wrote its rows query otherwise), the page keeps Datasette's
own rows, newest first: a page in another order, never other rows.
"""

from __future__ import annotations

import re
import sqlite3

from lsarchive.datasette.counts import IDS_PARAM, TOKEN_PARAM
from lsarchive.store.search import RANKED_CANDIDATES, SearchSyntaxError, ranked_ids

# Datasette 0.65's query for the rows of a table page sorted by `sort_desc: id`
# (metadata.yml): `select COLUMNS from articles where W order by id desc limit N`.
_ROWS_QUERY = re.compile(r"\s*select .+? from articles where (?P<where>.+) order by id desc limit \d+\s*", re.S)
# The where clause of a search with no other filter (ranking.filter_arguments).
SEARCH_ALONE = (f"lsarchive_matches(id, :{TOKEN_PARAM})",
                f"id in (select value from json_each(:{IDS_PARAM}))")

# token → the SearchRequest whose page waits for Datasette's where clause.
_WAITING: dict[str, object] = {}


def wait_for_filters(search) -> None:
    """The search's page is ranked when Datasette runs its rows query, if that
    query holds filters besides the search (search.page, or search.unranked
    when it cannot be ranked)."""
    _WAITING[search.token] = search


def forget(search) -> None:
    _WAITING.pop(getattr(search, "token", None), None)


def rank_within_filters(db) -> None:
    """Make Datasette's `db` rank a waiting search's page within the where
    clause of its rows query. Only this Database object is changed."""
    if getattr(db, "lsarchive_ranks_within_filters", False):
        return
    execute = db.execute

    async def execute_then_rank(sql, params=None, *args, **kwargs):
        results = await execute(sql, params, *args, **kwargs)
        search = _WAITING.get(params.get(TOKEN_PARAM)) if isinstance(params, dict) else None
        found = _ROWS_QUERY.fullmatch(sql) if search is not None else None
        if found is None or found.group("where").strip() in SEARCH_ALONE:
            return results  # not a waiting search's rows, or the search alone (ranking.py pages it)
        where, time_limit_ms = found.group("where"), db.ds.sql_time_limit_ms
        try:
            search.page = await db.execute_fn(lambda conn: ranked_page(conn, search, where, params, time_limit_ms))
        except (sqlite3.Error, SearchSyntaxError):
            search.unranked = True  # Datasette's own rows stand (see the module's docstring)
        return results

    db.execute = execute_then_rank
    db.lsarchive_ranks_within_filters = True


def ranked_page(conn, search, where: str, params: dict, time_limit_ms: int) -> tuple[list[int], bool]:
    """(ids of the page, best first; whether a next page exists), among the
    search's matches that `where` keeps."""
    from datasette.utils import sqlite_timelimit

    with sqlite_timelimit(conn, time_limit_ms):
        kept = {rowid for rowid, in conn.execute(f"select id from articles where {where}", params)}
    wanted = search.offset + search.size + 1
    # The ranked window first (the best RANKED_CANDIDATES, a prefix of the whole
    # ranking); only if the filters keep too few of it, every match.
    ranked = [rowid for rowid, _ in ranked_ids(conn, search.typed, limit=RANKED_CANDIDATES) if rowid in kept]
    if len(ranked) < wanted:
        ranked = [rowid for rowid, _ in ranked_ids(conn, search.typed) if rowid in kept]
    page = ranked[search.offset:search.offset + search.size]
    return page, len(ranked) > search.offset + search.size
