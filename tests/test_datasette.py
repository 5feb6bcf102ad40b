"""Datasette over the archive: the project's metadata and plugin in a real Datasette.

Requests go through Datasette's own ASGI client (no network), with the same
`make_datasette` that `lsarchive serve` runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from lsarchive.datasette import DATABASE_NAME, load_metadata, make_datasette
from lsarchive.datasette.plugin import fold_search_args
from lsarchive.normalize import fold
from lsarchive.record import Article
from lsarchive.store.archive import Archive
from lsarchive.store.views import VIEWS

from .helpers import DatasetteClient

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def titles(rows: list[dict]) -> list[str]:
    return [row["title"] for row in rows]


# Search in Datasette's own search box and JSON API ------------------------------------
@pytest.mark.parametrize("query", ["thi dua", "thi đua", "THI ĐUA", "thì đua", "Thi Đua"])
def test_search_finds_the_seed_article_with_or_without_diacritics(client, query, seed):
    rows = client.json(f"/archive/articles.json?_search={quote_plus(query)}&_shape=array")
    assert seed.title in titles(rows)
    for row in rows:  # and only articles that have both words
        words = re.findall(r"\w+", fold(" ".join([row["title"], row["body"], row["captions"] or ""])))
        assert {"thi", "dua"} <= set(words), row["title"]


def test_search_leaves_out_articles_without_the_words(client, seed):
    rows = client.json(f"/archive/articles.json?_search={quote_plus('lễ hội kỳ cùng')}&_shape=array")
    assert "Lễ hội Kỳ Cùng năm 2018" in titles(rows)
    assert seed.title not in titles(rows)


def test_raw_search_mode_keeps_operators(client, seed):
    query = quote_plus('"thi đua" OR "LỄ HỘI"')
    rows = client.json(f"/archive/articles.json?_search={query}&_searchmode=raw&_shape=array")
    assert {seed.title, "Lễ hội Kỳ Cùng năm 2018"} <= set(titles(rows))


def test_search_on_one_folded_column(client, seed):
    query = quote_plus("văn nghệ")
    rows = client.json(f"/archive/articles.json?_search_captions_folded={query}&_shape=array")
    assert seed.title in titles(rows)


def test_search_box_keeps_what_the_reader_typed(client, seed):
    html = client.get(f"/archive/articles?_search={quote_plus('THI ĐUA')}").text
    assert 'value="THI ĐUA"' in html
    assert seed.title in html
    assert "<mark>thi</mark> <mark>đua</mark>" in html  # snippet marks the accented text


def test_fold_search_args_folds_only_search_values():
    assert fold_search_args("_search=THI+%C4%90UA&section=T%C3%ACn".encode()) == \
        b"_search=thi+dua&section=T%C3%ACn"
    assert fold_search_args(b"_search=thi+dua") == b"_search=thi+dua"  # untouched
    raw = fold_search_args("_searchmode=raw&_search=Thi+%C4%91ua+OR+l%E1%BB%85*".encode())
    assert raw == b"_searchmode=raw&_search=%22thi%22+%22dua%22+OR+%22le%22%2A"


# Browsing: facets, sort, naming ------------------------------------------------------
def test_facets_on_section_year_month_and_credited_person(client):
    data = client.json("/archive/articles.json")
    facets = data["facet_results"]
    assert {"section", "year", "month", "credited_names"} <= set(facets)

    def values(name):
        return {str(r["value"]): r["count"] for r in facets[name]["results"]}

    assert values("section")["Tin tức - Sự kiện"] >= 1
    assert values("year")["2017"] >= 1
    assert values("month")["2017-01"] >= 1
    assert {"Thanh Huệ", "Đài TT-TH TPLS"} <= set(values("credited_names"))


def test_facet_selection_filters_by_credited_person(client, seed):
    rows = client.json(f"/archive/articles.json?credited_names__arraycontains={quote_plus('Thanh Huệ')}"
                       "&_shape=array")
    assert seed.title in titles(rows)
    assert all("Thanh Huệ" in json.loads(r["credited_names"]) for r in rows)


def test_articles_are_newest_first_by_default(client):
    dates = [r["published_at"] for r in client.json("/archive/articles.json?_shape=array")]
    assert dates == sorted(dates, reverse=True)


def test_database_is_named_archive_whatever_the_file_is_called(tmp_path, seed):
    path = seed.build_archive(tmp_path / "lang-son-2026.sqlite", [seed.article()])
    client = DatasetteClient(make_datasette(path))
    try:
        assert DATABASE_NAME == "archive"
        rows = client.json("/archive/articles.json?_search=thi+dua&_shape=array")
        assert titles(rows) == [seed.title]
        assert client.get("/lang-son-2026/articles.json").status_code == 404
    finally:
        client.close()


def test_served_read_only_and_shows_rows_a_crawl_adds_meanwhile(tmp_path, seed):
    path = seed.build_archive(tmp_path / "archive.db", [seed.article()])
    client = DatasetteClient(make_datasette(path))
    try:
        assert client.json("/archive/articles.json?_shape=array&_col=id") != []
        count = len(client.json("/archive/articles.json?_shape=array"))
        with Archive(path) as archive:  # a crawl writing while Datasette serves
            archive.save_article(seed.others()[0], site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
            assert len(client.json("/archive/articles.json?_shape=array")) == count + 1
        # Opened with mode=ro: even a plugin's SQL cannot write.
        db = client.ds.get_database("archive")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            client.loop.run_until_complete(db.execute_fn(lambda conn: conn.execute("delete from articles")))
        assert len(client.json("/archive/articles.json?_shape=array")) == count + 1
    finally:
        client.close()


# Canned queries ------------------------------------------------------------------------
CANNED_PARAMETERS = {
    "search": {"q": "thi đua"},
    "articles_by_person": {"name": "thanh hue"},
    "articles_per_month": {},
    "captions_containing": {"word": "CHU TICH"},
}


def test_every_canned_query_is_tested():
    assert set(load_metadata()["databases"]["archive"]["queries"]) == set(CANNED_PARAMETERS)


@pytest.mark.parametrize("name", sorted(CANNED_PARAMETERS))
def test_canned_query_answers_without_error(client, name):
    params = "&".join(f"{k}={quote_plus(v)}" for k, v in CANNED_PARAMETERS[name].items())
    rows = client.json(f"/archive/{name}.json?_shape=array&{params}")
    assert rows, name
    assert client.get(f"/archive/{name}?{params}").status_code == 200
    # Opened without its parameter (as from the database page): no error.
    assert client.get(f"/archive/{name}.json").status_code == 200


def test_canned_search_highlights_the_original_text(client, seed):
    rows = client.json("/archive/search.json?_shape=array&q=" + quote_plus("THI DUA"))
    hit = next(r for r in rows if r["title"] == seed.title)
    assert "[thi] [đua]" in hit["snippet"]
    html = client.get("/archive/search?q=thi+dua").text
    assert "<mark>thi</mark> <mark>đua</mark>" in html


def test_canned_queries_by_person_month_and_caption(client, seed):
    by_person = client.json("/archive/articles_by_person.json?_shape=array&name=" + quote_plus("Thanh Huệ"))
    assert seed.title in titles(by_person)
    per_month = {r["month"]: r["articles"] for r in
                 client.json("/archive/articles_per_month.json?_shape=array")}
    assert per_month["2017-01"] >= 1
    captions = client.json("/archive/captions_containing.json?_shape=array&word=" + quote_plus("giao uoc"))
    assert any("[giao] [ước]" in r["snippet"] for r in captions)


def test_sql_functions_are_available_to_researchers(client):
    sql = "select lsarchive_fold('THÌ ĐUA') as f, lsarchive_highlight('Công tác thi đua', 'thi dua') as h"
    row = client.json("/archive.json?_shape=array&sql=" + quote_plus(sql))[0]
    assert row == {"f": "thi dua", "h": "Công tác [thi] [đua]"}


# The article page ------------------------------------------------------------------------
def seed_id(client, seed) -> int:
    rows = client.json("/archive/articles.json?_shape=array&title=" + quote_plus(seed.title))
    return rows[0]["id"]


def test_article_page_reads_like_the_article(client, seed):
    html = client.get(f"/archive/articles/{seed_id(client, seed)}").text
    assert f"<h1>{seed.title}</h1>" in html
    assert "Thứ Ba, 10/01/2017 - 20:04" in html
    assert "Tin tức - Sự kiện" in html
    for caption in seed.captions:
        assert f"{caption}</figcaption>" in html
    assert html.count('<figure class="lsa-figure"') == len(seed.captions)
    # Each image after the paragraph it followed, in the body: p1, 1, 2, p2, p3, 3, p4, 4, 5, p5.
    body = html[html.index('<div class="lsa-body">'):html.index("</article>")]
    layout = re.findall(r'<p>|<figure class="lsa-figure" data-position="(\d)"', body)
    assert ["p" if not n else int(n) for n in layout][:10] == ["p", 1, 2, "p", "p", 3, "p", 4, 5, "p"]
    assert 'class="lsa-figures"' not in html  # no gallery of unplaced images
    for name, _roles in seed.credits:
        assert f">{name}</a>" in html
    assert "Tin, ảnh: Thanh Huệ" in html
    assert html.count('<p>Ngày 09/1/2017') == 1
    assert 'href="http://www.langson.gov.vn/tpls/tin-tuc-su-kien/' in html
    assert "1 revision" in html


def only_article_id(path) -> int:
    with Archive(path, readonly=True) as archive:
        (article_id,) = [row["id"] for row in archive.db["articles"].rows]
    return article_id


def test_article_page_escapes_the_source_text(tmp_path, seed):
    hostile = Article(
        url="http://h/tpls/node/9", node_id=9, section="Tin", title="<script>alert(1)</script>",
        published_at="2020-01-01T00:00:00+07:00", published_text=None,
        body=['<img src=x onerror="alert(2)">', "Đoạn hai"],
        body_html='<p><img src=x onerror="alert(2)"></p><script>alert(3)</script>',
    )
    path = seed.build_archive(tmp_path / "archive.db", [hostile])
    client = DatasetteClient(make_datasette(path))
    try:
        html = client.get(f"/archive/articles/{only_article_id(path)}").text
        article = html.split('<article class="lsa-article"', 1)[1].split("</article>", 1)[0]
        assert "<script>" not in article and "<img src=x" not in article
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    finally:
        client.close()


def test_article_page_shows_captures_when_pages_are_recorded(tmp_path, seed):
    path = seed.build_archive(tmp_path / "archive.db", [seed.article()])
    article_id = only_article_id(path)
    with Archive(path) as archive:
        archive.record_page(url=seed.article().url, kind="article", status=200, body=b"<html>",
                            fetched_at="2026-01-01T00:00:00+00:00", article_id=article_id,
                            warc_file="crawl-00001.warc.gz", warc_offset=1234)
    client = DatasetteClient(make_datasette(path))
    try:
        html = client.get(f"/archive/articles/{article_id}").text
        assert "crawl-00001.warc.gz" in html and "offset 1234" in html
    finally:
        client.close()


# Views, metadata and documentation ------------------------------------------------------
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_research_views_exist_and_return_rows(client, view):
    rows = client.json(f"/archive/{view}.json?_shape=array")
    assert rows, view


def test_views_hold_what_researchers_expect(seed_archive, seed):
    conn = sqlite3.connect(seed_archive)
    conn.row_factory = sqlite3.Row
    overview = conn.execute("select * from article_overview where title = ?", [seed.title]).fetchone()
    assert (overview["year"], overview["month"], overview["image_count"]) == (2017, "2017-01", 5)
    assert overview["credited"] == "Thanh Huệ; Đài TT-TH TPLS"
    person = conn.execute("select * from credits_by_person where name = 'Thanh Huệ'").fetchone()
    assert {"photo", "text"} <= set(person["roles"].split(", "))
    assert person["first_date"] <= "2017-01-10" <= person["last_date"]
    captions = [r["caption"] for r in conn.execute(
        "select caption from captions where title = ? order by position", [seed.title])]
    assert captions == seed.captions


def archive_columns(path) -> dict[str, list[str]]:
    """Every table and view a reader sees (FTS shadow tables left out) and its columns."""
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute(
        "select name from sqlite_master where type in ('table', 'view') "
        "and name not like '%fts\\_%' escape '\\' and name not like 'sqlite_%'")]
    return {name: [r[1] for r in conn.execute(f"pragma table_info([{name}])")] for name in names}


def test_every_table_and_column_has_a_description(seed_archive):
    tables = load_metadata()["databases"]["archive"]["tables"]
    for table, columns in archive_columns(seed_archive).items():
        assert tables.get(table, {}).get("description"), f"no description for {table}"
        described = tables[table].get("columns", {})
        missing = [c for c in columns if not described.get(c)]
        assert not missing, f"{table}: no description for {missing}"


def test_docs_schema_covers_every_table_and_column(seed_archive):
    docs = DOCS.read_text(encoding="utf-8")
    for table, columns in archive_columns(seed_archive).items():
        section = re.search(rf"^### `{re.escape(table)}`.*?(?=^### |\Z)", docs, re.M | re.S)
        assert section, f"docs/schema.md has no section for {table}"
        missing = [c for c in columns if f"`{c}`" not in section.group(0)]
        assert not missing, f"docs/schema.md, {table}: {missing} undocumented"


def test_article_page_shows_the_archived_copy_of_an_image(tmp_path, seed):
    path = seed.build_archive(tmp_path / "archive.db", [seed.article()])
    jpeg = b"\xff\xd8\xff\xe0 not really a jpeg"
    digest = hashlib.sha256(jpeg).hexdigest()
    (tmp_path / "media" / digest[:2]).mkdir(parents=True)
    (tmp_path / "media" / digest[:2] / digest).write_bytes(jpeg)
    with Archive(path) as archive:
        archive.record_media(url=seed.article().images[0].src, status=200, fetched_at="2026-01-01T00:00:00+00:00",
                             crawl_run_id=None, sha256=digest, size=len(jpeg),
                             content_type="image/jpeg", path=f"{digest[:2]}/{digest}")
    client = DatasetteClient(make_datasette(path))
    try:
        html = client.get(f"/archive/articles/{only_article_id(path)}").text
        assert f'src="/-/media/{digest}"' in html
        assert f'src="{seed.article().images[1].src}"' in html  # not archived: the original URL
        response = client.get(f"/-/media/{digest}")
        assert response.status_code == 200 and response.content == jpeg
        assert response.headers["content-type"] == "image/jpeg"
        assert client.get("/-/media/" + "0" * 64).status_code == 404
    finally:
        client.close()


# On a real crawl of the mirror --------------------------------------------------
@pytest.mark.parametrize("query", ["thi dua", "thi đua", "THI ĐUA", "thì đua"])
def test_json_api_search_finds_the_seed_in_a_crawled_archive(crawled_archive, seed, query):
    client = DatasetteClient(make_datasette(crawled_archive))
    try:
        rows = client.json(f"/archive/articles.json?_search={quote_plus(query)}&_shape=array&_size=max")
        assert seed.title in titles(rows)
    finally:
        client.close()


def test_facets_and_canned_queries_answer_on_a_crawled_archive(crawled_archive):
    client = DatasetteClient(make_datasette(crawled_archive))
    try:
        facets = client.json("/archive/articles.json?_facet=section&_facet=year&_facet=month"
                             "&_facet_array=credited_names")
        assert set(facets["facet_results"]) >= {"section", "year", "month", "credited_names"}
        assert not facets.get("facets_timed_out")
        queries = client.json("/archive.json")["queries"]
        assert len(queries) >= 4
        for query in queries:
            names = sorted(set(re.findall(r":(\w+)", query["sql"])))
            params = "&".join(f"{name}={quote_plus('Thanh Huệ' if 'person' in query['name'] else 'thi dua')}"
                              for name in names)
            rows = client.json(f"/archive/{query['name']}.json?{params}&_shape=array")
            assert rows, f"canned query {query['name']} returned no rows"
    finally:
        client.close()


# Relevance first, home page, facets in date order ------------------------------------------
def test_search_comes_most_relevant_first_and_newest_first_on_request(client, seed):
    query = quote_plus("thi đua")
    relevant = client.json(f"/archive/articles.json?_search={query}&_shape=array")
    assert relevant[0]["title"] == seed.title
    newest = client.json(f"/archive/articles.json?_search={query}&_sort_desc=id&_shape=array")
    assert [r["id"] for r in newest] == sorted((r["id"] for r in newest), reverse=True)
    assert {r["id"] for r in newest} == {r["id"] for r in relevant}
    page = client.get(f"/archive/articles?_search={query}").text
    assert "Most relevant first" in page and "_sort_desc=id" in page


def test_ranked_array_pages_follow_their_link_headers(client, seed):
    # `_shape=array` rows are the full rows of the ranked page (as the default
    # shape gives them), and the Link header leads to the next ranked page.
    query = quote_plus("năm")
    full = client.json(f"/archive/articles.json?_search={query}&_shape=objects&_size=max")["rows"]
    assert len(full) >= 3
    url, pages = f"/archive/articles.json?_search={query}&_shape=array&_size=2", []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.json())
        link = response.headers.get("link")
        url = re.sub(r"^<https?://[^/]+(.*)>; rel=\"next\"$", r"\1", link) if link else None
        assert len(pages) <= len(full)
    assert [row for page in pages for row in page] == full
    assert all(len(page) == 2 for page in pages[:-1])


def test_invalid_search_syntax_reads_as_a_message(client):
    response = client.get(f"/archive/articles.json?_search={quote_plus('thi AND')}")
    assert response.status_code == 400 and "not valid search syntax" in response.json()["error"]
    page = client.get(f"/archive/articles?_search={quote_plus('(thi')}")
    assert page.status_code == 200 and "not valid search syntax" in page.text
    assert 'value="(thi"' in page.text


def test_home_lists_articles_first_and_no_empty_memory_database(client):
    home = client.get("/").text
    assert "_memory" not in home
    links = re.findall(r'<a href="/archive/(\w+)"', home)
    assert links[0] == "articles"


def test_year_and_month_facets_read_in_date_order(client):
    page = client.get("/archive/articles").text
    for facet in ("year", "month"):
        block = re.search(rf'id="facet-{facet}".*?</ul>', page, re.S).group(0)
        values = re.findall(r">(\d{4}(?:-\d\d)?)</a>", block)
        assert len(values) >= 2 and values == sorted(values, reverse=True), values


def test_images_of_an_older_archive_without_places_follow_the_body():
    from lsarchive.datasette.plugin import body_flow

    images = [{"position": 1, "after_paragraph": None}, {"position": 2, "after_paragraph": 0},
              {"position": 3, "after_paragraph": 2}, {"position": 4, "after_paragraph": 9}]
    flow, unplaced = body_flow(["a", "b"], images)
    assert [item if kind == "paragraph" else item["position"] for kind, item in flow] == [2, "a", "b", 3]
    assert [image["position"] for image in unplaced] == [1, 4]
