"""The SQLite archive: keys, revisions, WAL, and search in Vietnamese."""

import sqlite3
import subprocess
import sys

import pytest

from lsarchive.normalize import fold
from lsarchive.record import Article, Credit, Image
from lsarchive.store.archive import NEW, UNCHANGED, UPDATED, Archive
from lsarchive.store.indexes import SEARCH_INDEXES
from lsarchive.store.runs import FINISHED, STOPPED
from lsarchive.store.search import fts_query, search
from lsarchive.store.snippets import highlight

from .helpers import is_merged

SEED_TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"


def make_article(node_id=1, title=SEED_TITLE, body=None, url=None) -> Article:
    return Article(
        url=url or f"http://127.0.0.1/tpls/tin-tuc/bai-{node_id}",
        node_id=node_id,
        section="Tin tức - Sự kiện",
        title=title,
        published_at="2017-01-10T20:04:00+07:00",
        published_text="Thứ Ba, 10/01/2017 - 20:04",
        body=body or ["Ngày 09/1/2017, Ủy ban nhân thành phố Lạng Sơn (TPLS) đã tổ chức hội nghị."],
        images=[Image(src="http://127.0.0.1/a.jpg", alt=None, caption="Biểu diễn văn nghệ chào mừng hội nghị")],
        credits=[Credit("Thanh Huệ", ["text", "photo"]), Credit("Đài TT-TH TPLS", ["unit"])],
        credit_lines=["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"],
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as archive:
        yield archive


def test_saving_twice_keeps_one_row_and_one_revision(archive):
    first = archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    again = archive.save_article(make_article(), site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    assert first == (first[0], NEW)
    assert again == (first[0], UNCHANGED)
    assert archive.article_count() == 1
    assert archive.db["revisions"].count == 1


def test_an_image_place_learnt_later_fills_the_row_without_a_new_revision(archive):
    unplaced = make_article()  # as archived before images' places were recorded
    article_id, _ = archive.save_article(unplaced, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    assert archive.db["images"].get((article_id, 1))["after_paragraph"] is None
    placed = make_article()
    placed.images[0].after_paragraph = 1
    assert placed.content_hash() == unplaced.content_hash()  # layout, not text
    again = archive.save_article(placed, site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    assert again == (article_id, UNCHANGED)
    assert archive.db["images"].get((article_id, 1))["after_paragraph"] == 1
    assert archive.db["revisions"].count == 1


def test_node_url_and_alias_are_one_article(archive):
    archive.save_article(make_article(url="http://h/tpls/node/1"), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    archive.save_article(make_article(url="http://h/tpls/tin-tuc/alias"), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    assert archive.article_count() == 1


def test_changed_article_gets_a_revision_and_keeps_the_old_text(archive):
    archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    changed = make_article(body=["Nội dung đã được cập nhật."])
    article_id, outcome = archive.save_article(changed, site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
    assert outcome == UPDATED
    revisions = list(archive.db["revisions"].rows_where("article_id = ?", [article_id], order_by="revision"))
    assert [r["revision"] for r in revisions] == [1, 2]
    assert "hội nghị" in revisions[0]["record"]
    assert archive.db["articles"].get(article_id)["body"] == "Nội dung đã được cập nhật."
    assert archive.db["images"].count == 1 and archive.db["credits"].count == 2


def test_archive_is_in_wal_mode(archive):
    assert archive.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("query", ["thi dua", "thi đua", "THI ĐUA", "thì đua", "Thi Đua"])
def test_search_finds_the_article_with_or_without_diacritics(archive, query):
    archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    archive.save_article(make_article(node_id=2, title="Lễ hội Kỳ Cùng năm 2018",
                                      body=["Lễ hội diễn ra tại đền Kỳ Cùng."]), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    hits = search(archive.db.conn, query)
    assert [h.title for h in hits] == [SEED_TITLE]


def test_search_matches_captions_and_highlights_the_original_text(archive):
    archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    hits = search(archive.db.conn, "van nghe chao mung")
    assert len(hits) == 1
    hits = search(archive.db.conn, "uy ban")
    assert "[Ủy] [ban]" in hits[0].snippet


def test_sqlite_utils_cli_searches_the_fts_backed_table(archive):
    archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    out = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(archive.path), "articles_search", "thi dua"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert SEED_TITLE in out


def test_fts_query_keeps_operators_and_folds_terms():
    assert fts_query("THI ĐUA") == '"thi" "dua"'
    assert fts_query('"khen thưởng" OR đua*') == '"khen thuong" OR "dua"*'
    assert fts_query("NOT") == "NOT"  # not valid: search() says so (SearchSyntaxError)
    assert fts_query('NEAR(thi đua, 5) AND "Đồng Đăng"') == 'NEAR ( "thi" "dua" , 5 ) AND "dong dang"'
    assert fts_query("TP. Lạng Sơn -") == '"tp" "lang" "son"'


def test_highlight_marks_accented_words_by_their_folded_form():
    text = "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2016"
    assert highlight(text, ["thi", "dua"]) == "Hội nghị tổng kết công tác [thi] [đua], khen thưởng năm 2016"


def test_fold_is_length_preserving_on_vietnamese():
    text = "Ủy ban nhân dân thành phố Lạng Sơn – Đồng Đăng, Hữu Nghị"
    assert len(fold(text)) == len(text)
    assert fold(text) == "uy ban nhan dan thanh pho lang son – dong dang, huu nghi"


def test_readonly_archive_refuses_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Archive(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_integrity_check_is_ok(archive):
    archive.save_article(make_article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    conn = sqlite3.connect(archive.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_article_ids_follow_publication_time(archive):
    later = make_article(node_id=2, title="Bài sau")
    later.published_at = "2018-03-01T08:00:00+07:00"
    earlier = make_article(node_id=3, title="Bài trước")
    same_second = make_article(node_id=4, title="Cùng giây")
    for article in (later, earlier, same_second):
        archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    ids = {r["node_id"]: r["id"] for r in archive.db["articles"].rows}
    assert ids[3] < ids[4] < ids[2]
    assert ids[4] == ids[3] + 1


def test_common_words_rank_the_newest_matches(archive, monkeypatch):
    import lsarchive.store.search as search_module

    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 3)
    for year in range(2012, 2018):
        article = make_article(node_id=year, title=f"Thi đua năm {year}")
        article.published_at = f"{year}-05-01T08:00:00+07:00"
        archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    hits = search(archive.db.conn, "thi dua", limit=10)
    assert sorted(h.published_at[:4] for h in hits[:3]) == ["2015", "2016", "2017"]
    assert [h.published_at[:4] for h in hits[3:]] == ["2014", "2013", "2012"]  # then the older ones
    rare = search(archive.db.conn, "2013", limit=10)
    assert [h.title for h in rare] == ["Thi đua năm 2013"]


def test_body_html_is_kept_apart_from_the_article_row(archive):
    article = make_article()
    article.body_html = '<p>Ngày 09/1/2017, <script>x()</script></p>'
    article.body_html_clean = "<p>Ngày 09/1/2017, </p>"
    article_id, _ = archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    row = archive.db["article_html"].get(article_id)
    assert row["body_html"] == article.body_html and row["body_html_clean"] == article.body_html_clean
    assert "body_html" not in archive.db["articles"].columns_dict


def test_highlight_opens_on_the_first_phrase_in_a_long_body():
    # Scattered "thi" words first, the phrase late in a long body: the window
    # opens on the phrase, keeps about 10 words before it, and says it is cut.
    body = "Cuộc thi viết. " * 300 + "Ngày hội (thi đua) yêu nước của toàn dân. " + "Kết thúc. " * 300
    snippet = highlight(body, ["thi", "dua"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "([thi] [đua]) yêu nước" in snippet
    words = snippet.strip("… ").split()
    assert len(words) == 30 and words.index("([thi]") == 10
    assert highlight("Không có gì ở đây.", ["thi"]) == "Không có gì ở đây."


# Merged search indexes ----------------------------------------------------------------
def test_merging_the_search_indexes_changes_no_search(tmp_path):
    path = tmp_path / "archive.db"
    queries = ["thi đua", "hội nghị", "Lạng Sơn", "van nghe", "bài 7"]
    with Archive(path) as archive:
        for n in range(30):  # one transaction each, as a crawl saves them: small segments
            archive.save_article(make_article(n, title=f"{SEED_TITLE} bài {n}"), site="tpls",
                                 fetched_at="2026-01-01T00:00:00+00:00")
        before = {q: [h.id for h in search(archive.db.conn, q, limit=50)] for q in queries}
        assert not is_merged(path, tmp_path)
        # Two changed articles in thirty: under a tenth, left to FTS5's own merging.
        assert archive.merge_search_indexes(changed=2) is False and not is_merged(path, tmp_path)
        assert archive.merge_search_indexes(changed=3) is True and is_merged(path, tmp_path)
        assert {q: [h.id for h in search(archive.db.conn, q, limit=50)] for q in queries} == before
        for name in SEARCH_INDEXES:
            archive.db.execute(f"insert into {name}({name}) values ('integrity-check')")


def test_a_run_that_finished_merges_the_indexes_one_that_stopped_does_not(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for n in range(20):
            archive.save_article(make_article(n, title=f"{SEED_TITLE} bài {n}"), site="tpls",
                                 fetched_at="2026-01-01T00:00:00+00:00")
        counts = {"pages_fetched": 20, "articles_new": 20, "articles_updated": 0, "articles_unchanged": 0,
                  "errors": 0}
        archive.finish_run(archive.start_run("tpls", "http://127.0.0.1/tpls", {}), STOPPED, counts)
        assert not is_merged(path, tmp_path)
        archive.finish_run(archive.start_run("tpls", "http://127.0.0.1/tpls", {}), FINISHED, counts)
        assert is_merged(path, tmp_path)
