"""A searched articles page's count and facets come from one pass over its matches
(lsarchive/datasette/facet_pass.py) and equal what Datasette's own queries give."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from urllib.parse import quote_plus

import pytest

import lsarchive.datasette.ranking as ranking
from lsarchive.datasette import make_datasette
from lsarchive.datasette.facet_pass import PASS_COLUMNS, recognise
from lsarchive.record import Credit
from lsarchive.store.archive import Archive
from lsarchive.store.search import fts_query

from .helpers import DatasetteClient

FACETS = ("site", "section", "year", "month")


def varied(seed) -> list:
    """Articles spread over sections, years and bylines: a name twice in one
    byline, one article without a section, two holding the same list of names."""
    base = seed.article()
    out = []
    for n, (section, year, names) in enumerate([
            ("Tin tức - Sự kiện", 2019, ["Minh Anh", "Thanh Huệ"]),
            ("Văn hóa - Xã hội", 2019, ["Minh Anh", "Minh Anh"]),
            ("Văn hóa - Xã hội", 2020, ["Thanh Huệ"]),
            (None, 2021, []),
            ("Kinh tế", 2021, ["Thanh Huệ"])]):
        out.append(dataclasses.replace(
            base, url=f"{base.url}-{n}", node_id=7000 + n, section=section,
            title=f"Hội nghị thi đua số {n}", published_at=f"{year}-0{n + 1}-15T08:00:00+07:00",
            images=[], credits=[Credit(name, ["text"]) for name in names]))
    return out


@pytest.fixture(params=["listed ids", "match set"])
def served(request, tmp_path, seed, monkeypatch):
    if request.param == "match set":
        monkeypatch.setattr(ranking, "LISTED_MATCHES", 0)
        monkeypatch.setattr(ranking, "NEWEST_MATCHES", 1)
    path = seed.build_archive(tmp_path / "archive.db", [seed.article(), *seed.others(), *varied(seed)])
    client = DatasetteClient(make_datasette(path))
    yield client, path
    client.close()


def expected(path, query: str, **filters) -> tuple[int, dict[str, Counter]]:
    """The count and facets computed here, row by row, from the archive itself."""
    conn = sqlite3.connect(path)
    ids = {r for r, in conn.execute("select rowid from articles_search_fts where articles_search_fts match ?",
                                    [fts_query(query)])}
    rows = [dict(zip(("id", *PASS_COLUMNS), r)) for r in conn.execute(
        f"select id, {', '.join(PASS_COLUMNS)} from articles")]
    conn.close()
    rows = [r for r in rows if r["id"] in ids and all(str(r[k]) == v for k, v in filters.items())]
    facets = {column: Counter(str(r[column]) for r in rows if r[column] is not None) for column in FACETS}
    facets["credited_names"] = Counter(name for r in rows for name in set(json.loads(r["credited_names"] or "[]")))
    return len(rows), facets


def shown(data: dict) -> tuple[int, dict[str, Counter]]:
    facets = {name: Counter({str(r["value"]): r["count"] for r in data["facet_results"][name]["results"]})
              for name in (*FACETS, "credited_names")}
    return data["filtered_table_rows_count"], facets


@pytest.mark.parametrize("query, filters", [
    ("hội nghị", {}), ("thi đua", {}), ("thi dua", {"year": "2019"}), ("kỳ cùng", {}),
    ("hội nghị", {"section": "Văn hóa - Xã hội"}), ("không có từ này", {})])
def test_the_count_and_facets_equal_the_archive(served, query, filters):
    client, path = served
    url = "/archive/articles.json?_search=" + quote_plus(query) + "".join(
        f"&{k}={quote_plus(v)}" for k, v in filters.items())
    assert shown(client.json(url)) == expected(path, query, **filters)
    passes = client.ds.get_database("archive").lsarchive_counts.passes
    if large_search(client) and expected(path, query)[0] > 0:
        # Datasette's own count and five facet queries, all answered by the
        # pass: if a new Datasette wrote them otherwise, they would run as
        # written and this would say so.
        assert passes.passes_run == 1 and passes.answers == 6
        # Alone, the search is counted from the archive's kept columns; with
        # other filters, in SQL.
        assert passes.from_columns == (0 if filters else 1)
    else:  # the matching ids are listed: each query reads just their rows
        assert passes.passes_run == 0


def large_search(client) -> bool:
    """Whether the search's where clause tests ids against its match set (a
    search of more than LISTED_MATCHES articles), as the fixture arranged."""
    return ranking.LISTED_MATCHES == 0


def test_facet_order_is_by_count_then_value(served):
    client, _ = served
    data = client.json("/archive/articles.json?_search=" + quote_plus("hội nghị"))
    for name in (*FACETS, "credited_names"):
        results = [(-r["count"], r["value"]) for r in data["facet_results"][name]["results"]]
        assert results == sorted(results), name


def test_a_second_request_reads_no_pass(served):
    client, _ = served
    url = "/archive/articles?_search=" + quote_plus("hội nghị")
    client.get(url)
    passes = client.ds.get_database("archive").lsarchive_counts.passes
    assert passes.passes_run == (1 if large_search(client) else 0)
    assert client.get(url).status_code == 200
    assert passes.passes_run == (1 if large_search(client) else 0)  # the counts were kept (counts.py)


def test_other_queries_are_not_taken_for_counts():
    assert recognise("select count(*) from articles where id > 3") == ("count", None, "from articles where id > 3", 1)
    assert recognise("select title as value, count(*) as count from (select * from articles) "
                     "where title is not null group by title order by count desc, value limit 31") is None
    assert recognise("select count(*) from credits") is None
    assert recognise("select * from articles") is None


def test_kept_columns_are_read_again_after_a_write(tmp_path, seed, monkeypatch):
    monkeypatch.setattr(ranking, "LISTED_MATCHES", 0)  # kept columns serve large searches
    path = seed.build_archive(tmp_path / "archive.db", [seed.article(), *seed.others(), *varied(seed)])
    client = DatasetteClient(make_datasette(path))
    url = "/archive/articles.json?_search=" + quote_plus("hội nghị")
    assert shown(client.json(url)) == expected(path, "hội nghị")
    newer = dataclasses.replace(varied(seed)[0], url=seed.article().url + "-new", node_id=7100,
                                section="Mục mới", published_at="2022-06-01T08:00:00+07:00")
    with Archive(path) as archive:  # a crawl writing while Datasette serves
        archive.save_article(newer, site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    count, facets = shown(client.json(url))
    assert (count, facets) == expected(path, "hội nghị") and facets["section"]["Mục mới"] == 1
    assert client.ds.get_database("archive").lsarchive_counts.passes.from_columns == 2
    client.close()


def test_a_filtered_pass_keeps_to_the_facet_time_limit(tmp_path, seed, monkeypatch):
    # A search with other filters is counted in SQL, and the filters may be a
    # reader's own `_where`: past Datasette's facet time limit the pass stops
    # (and Datasette's own count and facets meet their own limits).
    monkeypatch.setattr(ranking, "LISTED_MATCHES", 0)
    path = seed.build_archive(tmp_path / "archive.db", [seed.article(), *seed.others(), *varied(seed)])
    client = DatasetteClient(make_datasette(path, facet_time_limit_ms=50, sql_time_limit_ms=200))
    conn = sqlite3.connect(path)
    newest = [r for r, in conn.execute("select rowid from articles_search_fts where articles_search_fts "
                                       "match ? order by rowid desc", [fts_query("hội nghị")])]
    conn.close()
    # Quick for the newest matches (the page of one row reads two), seconds
    # for each older article (the subquery depends on the row: run per row).
    slow = (f"(id >= {newest[2]} or (with recursive n(x) as (select 1 union all select x + 1 from n "
            f"limit 20000000) select count(*) from n where x > id % 2) > 0)")
    response = client.get("/archive/articles.json?_size=1&_search=" + quote_plus("hội nghị")
                          + "&_where=" + quote_plus(slow))
    assert response.status_code == 200, response.text[:300]
    passes = client.ds.get_database("archive").lsarchive_counts.passes
    assert passes.passes_run == 0 and passes.answers == 0
    # A filter that is quick is counted by the pass as before.
    data = client.json("/archive/articles.json?_search=" + quote_plus("hội nghị") + "&year=2019")
    assert data["filtered_table_rows_count"] == expected(path, "hội nghị", year="2019")[0]
    assert passes.passes_run == 1 and passes.answers == 6
    client.close()
