"""End to end: crawl the real mirror on 127.0.0.1 into a real SQLite archive."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite

from .helpers import REPO, archived_records, invoke_cli, is_merged, run_cli, scalar

SEED_TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"


@pytest.fixture(scope="module")
def small_site(mirror_crawl):
    return mirror_crawl.site


@pytest.fixture(scope="module")
def crawled(mirror_crawl):
    """The session's crawl of a 40-article mirror (conftest.mirror_crawl)."""
    return {"db": mirror_crawl.db, "folder": mirror_crawl.folder, "stdout": mirror_crawl.stdout,
            "base_url": mirror_crawl.base_url}


def test_crawl_archives_every_article_once(crawled, small_site):
    db = crawled["db"]
    assert scalar(db, "select count(*) from articles") == small_site.article_count
    assert scalar(db, "select count(distinct node_id) from articles") == small_site.article_count
    assert scalar(db, "select count(*) from extraction_errors") == 0
    assert f"{small_site.article_count} new articles" in crawled["stdout"]


def test_a_crawl_leaves_its_search_indexes_merged(crawled, tmp_path):
    # A first crawl changed the whole archive: its indexes end merged, as
    # merging them again leaves them (store/archive.py, merge_search_indexes).
    assert is_merged(crawled["db"], tmp_path)


def test_every_archived_record_matches_what_the_mirror_published(crawled, small_site):
    records = archived_records(crawled["db"])
    assert sorted(records) == sorted(small_site.node_ids())
    for node_id, record in records.items():
        assert record == small_site.truth(node_id, crawled["base_url"]), f"node {node_id}"


def test_seed_article_matches_the_contract_example(crawled, small_site):
    record = archived_records(crawled["db"])[small_site.seed_node_id]
    assert record["title"] == SEED_TITLE
    assert record["published_at"] == "2017-01-10T20:04:00+07:00"
    assert record["published_text"] == "Thứ Ba, 10/01/2017 - 20:04"
    assert record["body"][0].startswith("Ngày 09/1/2017, Ủy ban nhân thành phố Lạng Sơn (TPLS)")
    assert [i["caption"] for i in record["images"]][0] == "Biểu diễn văn nghệ chào mừng hội nghị"
    assert len(record["images"]) == 5 and all(i["caption"] for i in record["images"])
    assert record["credits"] == [
        {"name": "Thanh Huệ", "roles": ["text", "photo"]},
        {"name": "Đài TT-TH TPLS", "roles": ["unit"]},
    ]
    assert record["credit_lines"] == ["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"]


def test_crawl_stays_inside_the_site_and_obeys_robots(crawled):
    conn = sqlite3.connect(crawled["db"])
    urls = [u for (u,) in conn.execute("select url from pages")]
    base = crawled["base_url"]
    assert all(u.startswith(base) or u.endswith("/robots.txt") for u in urls)
    assert not [u for u in urls if "/user/" in u or "/search/" in u]
    kinds = dict(conn.execute("select kind, count(*) from pages group by kind"))
    assert kinds["home"] == 1 and kinds["listing"] >= 6 and kinds["media"] > 0


def test_provenance_and_run_are_recorded(crawled, small_site):
    conn = sqlite3.connect(crawled["db"])
    run = conn.execute("select status, articles_new, errors, finished_at from crawl_runs").fetchone()
    assert run[0] == "finished" and run[1] == small_site.article_count and run[2] == 0 and run[3]
    missing = conn.execute(
        "select count(*) from articles a where not exists "
        "(select 1 from pages p where p.article_id = a.id and p.status = 200 and length(p.sha256) = 64)"
    ).fetchone()[0]
    assert missing == 0


@pytest.mark.parametrize("query", ["thi dua", "thi đua", "THI ĐUA", "thì đua"])
def test_search_command_lists_the_seed_article(crawled, query):
    out = invoke_cli("search", query, "--db", crawled["db"]).stdout
    assert SEED_TITLE in out


def test_sqlite_utils_search_lists_the_seed_article(crawled):
    out = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(crawled["db"]), "articles_search", "thi dua"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert SEED_TITLE in out


def test_stats_lists_sections_years_and_runs(crawled, small_site):
    out = invoke_cli("stats", "--db", crawled["db"]).stdout
    assert f"{small_site.article_count} articles" in out
    assert "Tin tức - Sự kiện" in out and "2017" in out and "#1" in out


def test_second_crawl_duplicates_nothing_and_fetches_little(small_site, mirror_recrawl):
    """The shared crawl run again (conftest.mirror_recrawl), one media file having failed."""
    db = mirror_recrawl.db
    assert scalar(db, "select count(*) from articles") == small_site.article_count
    assert scalar(db, "select count(*) from revisions") == small_site.article_count
    assert "0 new articles" in mirror_recrawl.stdout
    # robots.txt, the home page and the first page of each section, the media
    # file that had failed, and once each the theme's files (stylesheet, script,
    # icon, logo, map: page requisites).
    run = scalar(db, "select max(id) from crawl_runs")
    requisites = [u for (u,) in sqlite3.connect(db).execute(
        "select url from pages where kind = 'requisite' and crawl_run_id = ?", [run])]
    assert len(requisites) == len(set(requisites)) <= 6
    failed = urlsplit(mirror_recrawl.failed_media)
    paths = [path for _, path, _ in mirror_recrawl.requests]
    assert paths.count(failed.path + (f"?{failed.query}" if failed.query else "")) == 1
    assert len(paths) - len(requisites) - 1 <= 2 + len(small_site.sections()) + 2


def test_unreachable_site_fails_fast_with_one_line(tmp_path):
    result = run_cli("crawl", "--site-url", "http://127.0.0.1:9/tpls/", "--db", tmp_path / "a.db", check=False)
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0 and "cannot reach" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, same_as", [
    (["portal", "-a", "site=nope"], ["crawl", "--site", "nope"]),
    (["nospider"], None),
])
def test_scrapy_crawl_of_a_wrong_name_prints_one_line_and_exits_2(args, same_as):
    """A real `scrapy crawl`: what a shell sees (crawl/commands/crawl.py)."""
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", *args],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    if same_as:  # the line `lsarchive crawl` prints for the same name
        assert result.stderr == invoke_cli(*same_as, check=False).stderr
    else:
        assert result.stderr.startswith("lsarchive: no spider named 'nospider' (known: portal, tpls")


def test_scrapy_crawl_from_the_repository_root(tmp_path):
    small_site = MirrorSite(articles=8, seed=7)
    db = tmp_path / "scrapy.db"
    with MirrorServer(small_site) as server:
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "tpls", "-a", f"site_url={server.base_url}",
             "-s", f"LSARCHIVE_DB={db}", "-s", "LSARCHIVE_MEDIA=false", "-s", "LOG_LEVEL=WARNING"],
            cwd=REPO, check=True, capture_output=True, timeout=300,
        )
    assert scalar(db, "select count(*) from articles") == small_site.article_count
