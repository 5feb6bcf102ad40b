"""A searched articles page's count and facets are kept between requests
(lsarchive/datasette/counts.py) and never outlive the archive they counted."""

from __future__ import annotations

import dataclasses
import sqlite3
from urllib.parse import quote_plus

import pytest

import lsarchive.datasette.ranking as ranking
from lsarchive.datasette import make_datasette
from lsarchive.datasette.counts import ArchiveState
from lsarchive.store.archive import Archive

from .helpers import DatasetteClient

SEARCH = "/archive/articles.json?_search=" + quote_plus("thi đua")


def counted(data: dict) -> tuple[int, dict]:
    """The row count and the section and year facets of a JSON answer."""
    facets = {name: {str(r["value"]): r["count"] for r in data["facet_results"][name]["results"]}
              for name in ("section", "year")}
    return data["filtered_table_rows_count"], facets


def another_match(seed, n: int):
    """An article holding the search's words, in a section and year of its own."""
    return dataclasses.replace(
        seed.article(), url=f"{seed.article().url}-{n}", node_id=5000 + n,
        title=f"Phát động thi đua đợt {n}", section="Phong trào thi đua",
        published_at=f"{2019 + n}-03-01T08:00:00+07:00", images=[], credits=[], credit_lines=[])


@pytest.fixture(params=["listed ids", "match set"])
def served(request, tmp_path, seed, monkeypatch):
    """Datasette on a fresh archive; the search's where clause either lists the
    matching ids or tests each id against the match set (large searches)."""
    if request.param == "match set":
        monkeypatch.setattr(ranking, "LISTED_MATCHES", 0)
        monkeypatch.setattr(ranking, "NEWEST_MATCHES", 1)  # the newest match first, then all
    path = seed.build_archive(tmp_path / "archive.db", [seed.article(), *seed.others()])
    client = DatasetteClient(make_datasette(path))
    yield client, path
    client.close()


def test_counts_are_kept_until_the_archive_changes(served, seed):
    client, path = served
    first = counted(client.json(SEARCH))
    assert first[0] == 1 and first[1]["section"] == {"Tin tức - Sự kiện": 1}
    counts = client.ds.get_database("archive").lsarchive_counts
    hits = counts.hits
    assert counted(client.json(SEARCH)) == first
    assert counts.hits >= hits + 5  # the count and four facets, all kept

    with Archive(path) as archive:  # a crawl writing while Datasette serves
        archive.save_article(another_match(seed, 1), site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    total, facets = counted(client.json(SEARCH))
    assert total == 2
    assert facets["section"] == {"Tin tức - Sự kiện": 1, "Phong trào thi đua": 1}
    assert facets["year"] == {"2017": 1, "2020": 1}

    with Archive(path) as archive:
        archive.save_article(another_match(seed, 2), site="tpls", fetched_at="2026-01-03T00:00:00+00:00")
    total, facets = counted(client.json(SEARCH))
    assert total == 3 and facets["section"]["Phong trào thi đua"] == 2


def test_each_search_and_filter_is_counted_for_itself(served):
    client, _ = served
    assert counted(client.json(SEARCH))[0] == 1
    assert counted(client.json("/archive/articles.json?_search=" + quote_plus("lễ hội")))[0] == 1
    assert counted(client.json("/archive/articles.json?_search=" + quote_plus("hội nghị")))[0] == 2
    narrowed = client.json("/archive/articles.json?_search=" + quote_plus("hội nghị") + "&year=2017")
    assert counted(narrowed)[0] == 2
    narrowed = client.json("/archive/articles.json?_search=" + quote_plus("hội nghị") + "&section="
                           + quote_plus("Văn hóa - Xã hội"))
    assert counted(narrowed)[0] == 0
    # The same again, now from what was kept: the same answers.
    assert counted(client.json(SEARCH))[0] == 1
    assert counted(client.json("/archive/articles.json?_search=" + quote_plus("hội nghị")))[0] == 2


def test_the_html_page_shows_new_counts_after_a_write(served, seed):
    client, path = served
    page = client.get("/archive/articles?_search=" + quote_plus("thi đua")).text
    assert "articles: 1 row where search matches" in page
    with Archive(path) as archive:
        archive.save_article(another_match(seed, 1), site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    page = client.get("/archive/articles?_search=" + quote_plus("thi đua")).text
    assert "articles: 2 rows where search matches" in page and "Phong trào thi đua" in page


def test_archive_state_changes_with_every_commit_of_another_connection(tmp_path):
    path = tmp_path / "a.db"
    writer = sqlite3.connect(path)
    writer.execute("pragma journal_mode = wal")
    writer.execute("create table t (x)")
    writer.commit()
    state = ArchiveState(str(path))
    first = state.current()
    assert state.current() == first  # nothing changed
    writer.execute("insert into t values (1)")
    writer.commit()
    second = state.current()
    assert second != first
    assert state.current() == second
    writer.execute("pragma wal_checkpoint(truncate)")
    writer.execute("insert into t values (2)")
    writer.commit()
    assert state.current() != second
    writer.close()
    state.close()
