"""A ranked search narrowed by filters (a facet's link, a column filter, `_where`)
shows the best matches *among the rows the filters keep*, in Datasette's JSON
and on its HTML page (lsarchive/datasette/within_filters.py)."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from urllib.parse import quote_plus

import pytest

import lsarchive.datasette.ranking as ranking
from lsarchive.datasette import make_datasette
from lsarchive.store.search import ranked_ids

from .helpers import DatasetteClient

QUERY = "Đồng Đăng"
SECTIONS = ("Kinh tế", "Chính trị")


def articles(seed) -> list:
    """Twelve matches of "dong dang" over two sections and two years, newest
    last; every third holds "Đồng Đăng" as typed, the others only "Đông … Đảng"
    (folded, the same syllables): relevance and newest-first disagree."""
    base = seed.article()
    out = []
    for n in range(12):
        exact = n % 3 == 0
        body = (["Cửa khẩu Đồng Đăng đón khách du lịch trở lại sau kỳ nghỉ Tết."] if exact else
                ["Phường Đông Kinh tổ chức hội nghị.", "Đảng ủy phường triển khai nhiệm vụ năm mới."])
        out.append(dataclasses.replace(
            base, url=f"{base.url}-{n}", node_id=9000 + n, section=SECTIONS[n % 2],
            title=f"Tin số {n}", published_at=f"{2019 + n // 6}-{n % 6 + 1:02d}-15T08:00:00+07:00",
            body=body, images=[], credits=[]))
    return out


@pytest.fixture(params=["listed ids", "match set"])
def served(request, tmp_path, seed, monkeypatch):
    if request.param == "match set":  # the where clause Datasette runs for a large search
        monkeypatch.setattr(ranking, "LISTED_MATCHES", 0)
        monkeypatch.setattr(ranking, "NEWEST_MATCHES", 1)
    path = seed.build_archive(tmp_path / "archive.db", articles(seed))
    client = DatasetteClient(make_datasette(path))
    yield client, path
    client.close()


def expected(path, where: str, params: list) -> list[int]:
    """The archive's ranking of the query, kept to the rows `where` keeps."""
    conn = sqlite3.connect(path)
    try:
        kept = {r for r, in conn.execute(f"select id from articles where {where}", params)}
        ranked = [rowid for rowid, _ in ranked_ids(conn, QUERY) if rowid in kept]
    finally:
        conn.close()
    assert len(ranked) >= 4 and ranked != sorted(ranked, reverse=True), "relevance must differ from newest first"
    return ranked


FILTERS = [
    ("section=" + quote_plus("Kinh tế"), "section = ?", ["Kinh tế"]),
    ("year=2020", "year = ?", [2020]),
    ("_where=" + quote_plus("node_id < 9010"), "node_id < 9010", []),
    ("section__not=" + quote_plus("Chính trị") + "&_facet=year", "section != ?", ["Chính trị"]),
]


@pytest.mark.parametrize("filters, where, params", FILTERS)
def test_json_pages_rank_within_the_filters(served, filters, where, params):
    client, path = served
    want = expected(path, where, params)
    base = f"/archive/articles.json?_search={quote_plus(QUERY)}&{filters}"
    # The whole ranking in one page, in each shape that lists rows.
    assert [r["id"] for r in client.json(base + "&_shape=array&_size=max")] == want
    data = client.json(base + "&_shape=objects&_size=max")
    assert [r["id"] for r in data["rows"]] == want
    assert data["filtered_table_rows_count"] == len(want)
    # Page after page, by the `next_url` of each.
    url, seen = base + "&_shape=objects&_size=2", []
    while url:
        data = client.json(url)
        seen += [r["id"] for r in data["rows"]]
        url = re.sub(r"^https?://[^/]+", "", data["next_url"]) if data["next_url"] else None
        assert len(seen) <= len(want)
    assert seen == want


@pytest.mark.parametrize("filters, where, params", FILTERS[:2])
def test_the_html_page_ranks_within_the_filters(served, filters, where, params):
    client, path = served
    want = expected(path, where, params)
    page = client.get(f"/archive/articles?_search={quote_plus(QUERY)}&{filters}").text
    assert "Most relevant first" in page
    # The page says what it shows, the filters too (Datasette's words for them).
    described = " ".join(re.search(r"<h3>(.*?)</h3>", page, re.S).group(1).split()[2:])
    assert described.startswith(f"where search matches &#34;{QUERY}&#34; and ") and "most relevant first" in described
    shown = [int(i) for i in re.findall(r'href="/archive/articles/(\d+)"', page)]
    assert list(dict.fromkeys(shown)) == want
