"""Search that finds what was meant: tones as typed first, syllables side by side
before scattered ones, FTS5 syntax, clear syntax errors, and the evaluation."""

from __future__ import annotations

import sqlite3

import pytest

from lsarchive.record import Article
from lsarchive.search_eval import QUERIES, RelevanceJudge, evaluate, library_ranking
from lsarchive.store.archive import Archive
from lsarchive.store import search as search_module
from lsarchive.store.schema import EXACT_FTS, EXACT_FTS_SQL, TITLE_FTS_SQL
from lsarchive.store.search import SearchSyntaxError, ranked_ids, search

from .helpers import invoke_cli


def article(node_id: int, title: str, body: str, day: int = 1) -> Article:
    return Article(
        url=f"http://127.0.0.1/tpls/tin-tuc/bai-{node_id}", node_id=node_id, section="Tin tức",
        title=title, published_at=f"2020-01-{day:02d}T08:00:00+07:00",
        published_text=f"Thứ Tư, {day:02d}/01/2020 - 08:00", body=[body],
    )


# The newest articles are the false friends: the old ranking (newest matches by
# bm25, title first) put them on top.
ARTICLES = [
    article(1, "Hàng hóa qua ga Đồng Đăng tăng", "Ga liên vận quốc tế Đồng Đăng đón nhiều chuyến tàu.", 1),
    article(2, "Xuất khẩu qua cửa khẩu", "Lượng xe qua Đồng Đăng ổn định.", 2),
    article(3, "Đảng ủy phường Đông Kinh đăng cai hội nghị",
            "Đông Kinh đăng cai; Đảng ủy làm việc với đồng chí Bí thư.", 3),
    article(4, "Đông đảo người dân đăng ký dự lễ hội Đồng Đăng", "Người dân đồng lòng.", 4),
    article(5, "Đông Đăng mới", "Tên gõ sai dấu: Đông Đăng.", 5),
    article(6, "An ninh được giữ vững", "Công an bảo đảm trật tự; an ninh tốt.", 6),
    article(7, "Họp bàn về an ninh trật tự", "Giữ gìn an ninh trật tự trên địa bàn.", 7),
    article(8, "Thi công đường mới đưa vào sử dụng", "Đơn vị thi công đưa công trình vào sử dụng.", 8),
    article(9, "Phát động thi đua", "Phong trào thi đua yêu nước.", 9),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "archive.db"
    with Archive(path) as archive:
        for a in ARTICLES:
            archive.save_article(a, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def titles(conn, query, limit=20):
    return [hit.title for hit in search(conn, query, limit=limit)]


def test_a_query_with_tones_ranks_the_exact_word_first(db):
    found = titles(db, "Đồng Đăng")
    # Exact, then "Đông Đăng" (folded phrase), then the scattered syllables.
    assert set(found[:3]) == {ARTICLES[0].title, ARTICLES[1].title, ARTICLES[3].title}
    assert found[3] == "Đông Đăng mới"
    assert found[4] == ARTICLES[2].title


def test_a_query_without_tones_ranks_the_folded_phrase_first(db):
    found = titles(db, "dong dang")
    assert set(found[:4]) == {ARTICLES[0].title, ARTICLES[1].title, ARTICLES[3].title, "Đông Đăng mới"}
    assert found[4] == ARTICLES[2].title  # scattered: still found (recall), last


def test_syllables_side_by_side_rank_above_scattered_ones(db):
    assert titles(db, "an ninh trật tự")[0] == "Họp bàn về an ninh trật tự"
    assert titles(db, "thi đua")[0] == "Phát động thi đua"
    assert "Thi công đường mới đưa vào sử dụng" in titles(db, "thi dua")  # every match is found


def test_several_words_are_each_ranked_as_words(db):
    # "Đồng Đăng" and "lễ hội" each stand together in article 4 only.
    assert titles(db, "lễ hội Đồng Đăng")[0] == ARTICLES[3].title


def pair_archive(tmp_path, bodies: list[str]) -> sqlite3.Connection:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for n, body in enumerate(bodies, 1):
            archive.save_article(article(100 + n, f"Bài {n}", body, n), site="tpls",
                                 fetched_at="2026-01-01T00:00:00+00:00")
    return sqlite3.connect(path)


def test_a_phrase_nobody_holds_ranks_by_its_pairs_as_typed(tmp_path):
    # Nobody writes "cửa khẩu hữu nghị" in one run here (nor "khẩu hữu"):
    # holding both pairs as typed beats one pair, which beats the pair in
    # other tones ("của khâu": other words), then scattered syllables.
    conn = pair_archive(tmp_path, [
        "Hàng qua cửa khẩu; tình hữu nghị bền chặt.",         # both pairs, as typed
        "Qua cửa khẩu; bạn hữu và nghị quyết.",               # one pair as typed
        "Việc của khâu cuối; hữu ích; nghị quyết.",            # "cua khau" only folded
        "Khẩu hiệu; cửa hàng; hữu ích; nghị quyết mới nhất.",  # scattered, the newest
    ])
    ranked = [hit.title for hit in search(conn, "cửa khẩu Hữu Nghị")]
    assert ranked == ["Bài 1", "Bài 2", "Bài 4", "Bài 3"]  # 4 and 3: newest first among equals
    # Typed without marks, every pair is as typed folded: "cua khau" in 1, 2
    # and 3, "huu nghi" in 1.
    assert [hit.title for hit in search(conn, "cua khau huu nghi")] == ["Bài 1", "Bài 3", "Bài 2", "Bài 4"]
    for query in ("cửa khẩu Hữu Nghị", "cua khau huu nghi"):
        whole = [rowid for rowid, _ in ranked_ids(conn, query)]
        assert len(whole) == 4
        for limit in (1, 2, 3):
            assert [rowid for rowid, _ in ranked_ids(conn, query, limit=limit)] == whole[:limit]
    conn.close()


@pytest.mark.parametrize("query", ["thi dua", "thi đua", "THI ĐUA", "thì đua"])
def test_contract_rule_every_spelling_finds_thi_dua(db, query):
    assert "Phát động thi đua" in titles(db, query)


def test_fts5_syntax_keeps_working(db):
    assert titles(db, '"an ninh trật tự"') == ["Họp bàn về an ninh trật tự"]
    assert set(titles(db, '"thi đua" OR "Đông Kinh"')) == {"Phát động thi đua", ARTICLES[2].title}
    assert "Phát động thi đua" not in titles(db, "thi NOT đua")
    assert titles(db, "NEAR(giữ địa, 8)") == ["Họp bàn về an ninh trật tự"]
    assert "Phát động thi đua" in titles(db, "phát độ*")


@pytest.mark.parametrize("query", ["thi AND", "(thi đua", '"thi đua', "NOT", "NEAR(thi, x)"])
def test_invalid_syntax_raises_one_clear_error(db, query):
    with pytest.raises(SearchSyntaxError) as error:
        search(db, query)
    assert isinstance(error.value, ValueError)
    assert "\n" not in str(error.value) and repr(query) in str(error.value)


def test_cli_search_and_export_say_one_line_and_exit_2(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.save_article(ARTICLES[0], site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    for command in (["search", "thi AND"], ["export", "--query", "(thi"]):
        result = invoke_cli(*command, "--db", path, check=False)
        assert result.returncode == 2, result
        assert result.stderr.count("\n") == 1 and "not valid search syntax" in result.stderr
        assert "Traceback" not in result.stderr


def test_an_archive_made_before_the_exact_index_gets_it(tmp_path):
    path = tmp_path / "old.db"
    with Archive(path) as archive:
        for a in ARTICLES[:3]:
            archive.save_article(a, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        archive.db.execute(f"drop table {EXACT_FTS}")
        for sql in EXACT_FTS_SQL[1:]:
            archive.db.execute(f"drop trigger {sql.split()[2]}")
    with Archive(path) as archive:  # opened for writing: the migration builds the index
        count = archive.db.execute(f"select count(*) from {EXACT_FTS} where {EXACT_FTS} match "
                                   "'\"đồng đăng\"'").fetchone()[0]
        assert count == 2
        archive.save_article(ARTICLES[3], site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        changed = article(2, "Xuất khẩu qua cửa khẩu", "Lượng xe giảm.", 2)
        archive.save_article(changed, site="tpls", fetched_at="2026-01-02T00:00:00+00:00")
        ids = [r for r, in archive.db.execute(
            f"select rowid from {EXACT_FTS} where {EXACT_FTS} match '\"đồng đăng\"' order by rowid")]
        assert len(ids) == 2  # article 2 lost the words, article 4 brought them
        assert archive.db.execute(f"insert into {EXACT_FTS}({EXACT_FTS}) values ('integrity-check')")


def drop_index(archive, statements: list[str]) -> None:
    """An archive as a version before this index left it: no index, no triggers."""
    archive.db.execute(f"drop table {statements[0].split()[3]}")
    for sql in statements[1:]:
        archive.db.execute(f"drop trigger {sql.split()[2]}")


TITLE_QUERIES = ["Đồng Đăng", "dong dang", "an ninh trật tự", "thi đua", "đăng cai", "Đông Kinh", "cửa khẩu"]


def test_the_title_indexes_stand_for_the_title_columns(tmp_path):
    # The names search.py uses are the schema's, and ranking with the title
    # indexes gives what it gave with column filters before them.
    assert set(search_module.TITLE_INDEXES.values()) == set(TITLE_FTS_SQL)
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for a in ARTICLES:
            archive.save_article(a, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        with_indexes = {q: ranked_ids(archive.db.conn, q) for q in TITLE_QUERIES}
        for statements in TITLE_FTS_SQL.values():
            drop_index(archive, statements)
    with Archive(path, readonly=True) as archive:  # read-only: no migration, column filters
        assert {q: ranked_ids(archive.db.conn, q) for q in TITLE_QUERIES} == with_indexes
    with Archive(path) as archive:  # opened for writing: the migration builds them
        for name in TITLE_FTS_SQL:
            assert archive.db.execute(f"select count(*) from {name}").fetchone()[0] == len(ARTICLES)
        assert {q: ranked_ids(archive.db.conn, q) for q in TITLE_QUERIES} == with_indexes
        # And they follow the articles: a title changed, the old words leave.
        archive.save_article(article(2, "Đồng Đăng đón khách", "Lượng xe giảm.", 2), site="tpls",
                             fetched_at="2026-01-02T00:00:00+00:00")
        # (Folded, "Đông Đăng mới" holds them too.)
        for name, words, holders in (("articles_title_fts", "'\"đồng đăng\"'", 3),
                                     ("articles_title_folded_fts", "'\"dong dang\"'", 4)):
            assert archive.db.execute(f"select count(*) from {name} where {name} match {words}").fetchone()[0] == holders
            assert archive.db.execute(f"select count(*) from {name} where {name} match 'khau'").fetchone()[0] == 0
            archive.db.execute(f"insert into {name}({name}) values ('integrity-check')")


def test_a_read_only_archive_without_the_exact_index_still_searches(tmp_path):
    path = tmp_path / "old.db"
    with Archive(path) as archive:
        archive.save_article(ARTICLES[0], site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        archive.db.execute(f"drop table {EXACT_FTS}")
    with Archive(path, readonly=True) as archive:
        assert [h.title for h in search(archive.db.conn, "Đồng Đăng")] == [ARTICLES[0].title]


def test_the_default_query_list_is_long_and_multi_syllable():
    assert len(QUERIES) >= 40
    assert all(len(q.split()) >= 2 for q in QUERIES)


def test_relevance_judge_reads_text_not_the_index(db):
    judge = RelevanceJudge(db)
    assert len(judge.relevant("Đồng Đăng")) == 3
    assert len(judge.relevant("dong dang")) == 4
    assert len(judge.relevant("an ninh trật tự")) == 1


def test_evaluation_on_the_small_archive(db):
    report = evaluate(db, library_ranking(db), ["Đồng Đăng", "an ninh trật tự", "thi đua"])
    assert report.mean(True, "precision") == 1.0 and report.mean(False, "precision") == 1.0
    assert report.mean(True, "recall") == 1.0 and report.mean(False, "recall") == 1.0
    assert [rowid for rowid, _ in ranked_ids(db, "Đồng Đăng", limit=1)]


@pytest.mark.parametrize("query", ["Đồng Đăng", "dong dang", "an ninh trật tự", "thi đua", "lễ hội Đồng Đăng"])
def test_a_page_of_hits_agrees_with_the_whole_ranking(db, query):
    whole = [rowid for rowid, _ in ranked_ids(db, query)]
    for limit in (1, 2, 3, 5):
        assert [rowid for rowid, _ in ranked_ids(db, query, limit=limit)] == whole[:limit]


def test_holders_of_the_words_as_typed_come_title_first_then_newest(tmp_path):
    path = tmp_path / "archive.db"
    holders = [article(21, "Phát động thi đua", "Nội dung.", 1),
               article(22, "Tin vắn", "Phong trào thi đua yêu nước.", 2),
               article(23, "Tin mới", "Thi đua lao động sản xuất.", 3),
               article(24, "Thi công", "Đơn vị đưa công trình vào sử dụng; đua xe.", 4)]  # scattered
    with Archive(path) as archive:
        for a in holders:
            archive.save_article(a, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
    conn = sqlite3.connect(path)
    try:
        for query in ("thi đua", "thi dua"):
            whole = [hit.title for hit in search(conn, query)]
            assert whole == ["Phát động thi đua", "Tin mới", "Tin vắn", "Thi công"]
            for limit in (1, 2, 3):  # a page made from the holders alone agrees
                assert [hit.title for hit in search(conn, query, limit=limit)] == whole[:limit]
    finally:
        conn.close()
