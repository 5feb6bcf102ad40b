"""`lsarchive sites`, `lsarchive check` and `lsarchive evaluate --site`, run in
process (Click's CliRunner) against real archives, the real mirror on a free
port, and a page of a theme no profile describes served over real HTTP."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from lsarchive import site_check
from lsarchive.cli import main
from lsarchive.evaluate import gold_root, page_profile
from lsarchive.mirror import PORTAL_URL, MirrorServer, MirrorSite
from lsarchive.profiles import REGISTERED, TPLS, Site, profile_for
from lsarchive.record import CONTRACT_FIELDS
from lsarchive.store.archive import Archive
from lsarchive.store.views import create_views

from .helpers import DatasetteClient, free_port

GOLD_PAGE = gold_root() / "drupal7" / "2009" / "04-credit-two-people-both-roles.html"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# sites ------------------------------------------------------------------------------------

def test_sites_without_an_archive_lists_the_registry(tmp_path):
    result = run("sites", "--db", tmp_path / "none.db", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["site"] for row in rows] == list(REGISTERED)
    tpls = rows[0]
    assert tpls["base_url"] == "http://www.langson.gov.vn/tpls/" and tpls["profile"] == "own"
    assert tpls["versions"] == [{"name": "tpls", "version": "2012", "valid_until": "2019-01-01"},
                                {"name": "tpls", "version": "2019", "valid_until": None}]
    assert "articles" not in tpls
    text = run("sites", "--db", tmp_path / "none.db")
    assert "generic Drupal 7 profile (drupal7, version 2009)" in text.stdout
    assert "no archive at" in text.stderr


@pytest.fixture
def province_archive(tmp_path, seed):
    """An archive with three city articles, one of a sub-site no profile names,
    two crawl runs and failed pages of both sites (one seen through a mirror)."""
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        first = archive.start_run("tpls", "http://www.langson.gov.vn/tpls/", {})
        for article in (seed.article(), *seed.others()):
            archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00", crawl_run_id=first)
        archive.record_error(url="http://www.langson.gov.vn/tpls/node/77", stage="date", reason="no date",
                             crawl_run_id=first)
        archive.record_error(url="http://127.0.0.1:8123/tpls/node/78", stage="body", reason="empty",
                             crawl_run_id=first)
        archive.finish_run(first, "finished")
        second = archive.start_run("sotnmt", "http://www.langson.gov.vn/sotnmt/", {})
        other = replace(seed.article(), url="http://www.langson.gov.vn/sotnmt/tin-tuc/x", node_id=5)
        archive.save_article(other, site="sotnmt", fetched_at="2026-01-02T00:00:00+00:00", crawl_run_id=second)
        archive.record_error(url="http://www.langson.gov.vn/sotnmt/node/6", stage="title", reason="no title",
                             crawl_run_id=second)
        archive.finish_run(second, "stopped")
        create_views(archive.db)
    return path


def test_sites_counts_what_the_archive_holds_per_site(province_archive):
    result = run("sites", "--db", province_archive, "--json")
    assert result.exit_code == 0, result.output
    rows = {row["site"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert list(rows) == [*REGISTERED, "sotnmt"]
    assert (rows["tpls"]["articles"], rows["tpls"]["errors"]) == (3, 2)
    assert rows["tpls"]["last_run"]["id"] == 1 and rows["tpls"]["last_run"]["status"] == "finished"
    sotnmt = rows["sotnmt"]
    assert (sotnmt["articles"], sotnmt["errors"], sotnmt["last_run"]["status"]) == (1, 1, "stopped")
    assert sotnmt["profile"] == "generic drupal7" and sotnmt["base_url"] == "http://www.langson.gov.vn/sotnmt/"
    text = run("sites", "--db", province_archive).stdout
    assert "archive: 3 articles, 2 errors, last crawl #1" in text
    assert "archive: 1 articles, 1 errors, last crawl #2" in text


def test_sites_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    result = run("sites", "--db", bogus)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not an SQLite file" in result.stderr


# --site filters and the site facet ------------------------------------------------------------

def test_search_export_and_stats_take_a_site(province_archive):
    everywhere = run("search", "thi dua", "--db", province_archive, "--json")
    assert {json.loads(line)["url"].split("/")[3] for line in everywhere.stdout.splitlines()} == {"tpls", "sotnmt"}
    only = run("search", "thi dua", "--db", province_archive, "--json", "--site", "sotnmt")
    assert only.exit_code == 0, only.output
    assert [json.loads(line)["url"] for line in only.stdout.splitlines()] == ["http://www.langson.gov.vn/sotnmt/tin-tuc/x"]
    exported = run("export", "--db", province_archive, "--site", "tpls")
    urls = [json.loads(line)["url"] for line in exported.stdout.splitlines()]
    assert len(urls) == 3 and all("/tpls/" in url for url in urls)
    stats = run("stats", "--db", province_archive, "--site", "sotnmt")
    assert stats.exit_code == 0, stats.output
    assert stats.stdout.startswith("1 articles of sotnmt")
    assert "#2 " in stats.stdout and "#1 " not in stats.stdout
    assert "1 pages could not be archived" in stats.stdout and "  title" in stats.stdout
    assert run("stats", "--db", province_archive).stdout.startswith("4 articles in")


@pytest.mark.parametrize("args", [
    ("search", "thi dua", "--site", "nowhere"),
    ("export", "--site", "nowhere"),
    ("stats", "--site", "nowhere"),
])
def test_an_unknown_site_filter_is_refused_in_one_line(province_archive, args):
    result = run(*args, "--db", province_archive)
    assert result.exit_code == 2 and result.stdout == ""
    assert "no site 'nowhere'" in result.stderr and "known: caoloc, sotnmt, sotttt, tpls" in result.stderr


def test_site_is_a_facet_of_the_articles_in_datasette(province_archive):
    from lsarchive.datasette import make_datasette

    client = DatasetteClient(make_datasette(province_archive))
    try:
        data = client.json("/archive/articles.json")
        counts = {r["value"]: r["count"] for r in data["facet_results"]["site"]["results"]}
        assert counts == {"tpls": 3, "sotnmt": 1}
    finally:
        client.close()


# check against the mirror ---------------------------------------------------------------

@pytest.fixture(scope="module")
def mirror():
    site = MirrorSite(articles=120, seed=1)
    with MirrorServer(site) as server:
        yield site, server


def _check_json(*args):
    result = run("check", *args, "--json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def test_check_through_the_mirror_as_proxy_reports_selectors_record_listing_and_robots(mirror):
    site, server = mirror
    node_id = site.node_ids()[0]
    truth = site.truth(node_id, PORTAL_URL)
    result, report = _check_json(truth["url"], "--proxy", server.proxy_url)
    assert result.exit_code == 0, result.output
    assert (report["site"], report["profile"], report["profile_version"]) == ("tpls", "tpls", "2019")
    article = report["article"]
    assert {name: article["record"][name] for name in CONTRACT_FIELDS} == truth
    assert article["fallbacks"] == [] and article["missing"] == []
    assert all(s["matched"] and s["count"] >= 1 for s in article["selectors"]), article["selectors"]
    listing = report["listing"]
    assert listing["url"] == PORTAL_URL + TPLS.section_paths[0][1]
    teasers = {s["name"]: s["count"] for s in listing["selectors"]}
    assert teasers["listing_teaser_link_css"] == len(listing["teasers"]) == 15
    assert listing["pager_next"] == PORTAL_URL + TPLS.section_paths[0][1] + "?page=1"
    assert listing["pager_last"].startswith(PORTAL_URL + TPLS.section_paths[0][1] + "?page=")
    assert [name for name, _ in TPLS.section_paths] == [text for text, _ in listing["sections"][:6]]
    assert listing["known_sections_missing"] == []
    robots = report["robots"]
    assert robots["crawl_delay"] == 10.0 and "Disallow: /tpls/user/" in robots["rules"]
    assert all(robots["allowed"].values())


def test_check_on_the_mirrors_own_address_reads_the_same_record(mirror):
    site, server = mirror
    node_id = site.node_ids()[-1]
    truth = site.truth(node_id, server.base_url)
    result = run("check", truth["url"])
    assert result.exit_code == 0, result.output
    assert truth["title"] in result.stdout
    assert "fell back: nothing" in result.stdout and "not extracted: nothing" in result.stdout
    assert "Crawl-delay: 10 s" in result.stdout and "Disallow: /tpls/user/" in result.stdout


def test_check_a_listing_given_as_the_article_names_what_is_missing(mirror):
    _, server = mirror
    result, report = _check_json(server.base_url + "home")
    assert result.exit_code == 1
    assert report["article"]["record"] is None and "not an article" in report["article"]["error"]
    assert result.stderr.count("\n") == 1 and "not extracted: url, node_id, section, title" in result.stderr


@pytest.mark.parametrize(("path", "code", "message"), [
    ("tpls/user/login", 2, "robots.txt forbids"),
    ("tpls/node/999999", 2, "HTTP 404"),
    ("elsewhere/node/1", 2, "no site profile for"),
])
def test_check_refuses_in_one_line(mirror, path, code, message):
    _, server = mirror
    result = run("check", f"{server.url}/{path}")
    assert result.exit_code == code, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1 and message in result.stderr


def test_check_bad_input_and_unreachable_sites(mirror):
    _, server = mirror
    assert run("check", "ftp://example.com/x").exit_code == 2
    assert run("check", f"{server.base_url}node/1", "--site", "nope").exit_code == 2
    assert run("check", f"{server.base_url}node/1", "--version", "1999").exit_code == 2
    closed = run("check", f"http://127.0.0.1:{free_port()}/tpls/node/1")
    assert closed.exit_code == 3 and "cannot fetch" in closed.stderr and closed.stderr.count("\n") == 1


# check on a theme no profile describes -----------------------------------------------------

def unknown_theme(html: str) -> str:
    """The gold page with another theme's title, date line and breadcrumb markup."""
    changed = (html.replace('<h1 class="title" id="page-title">', '<h1 class="headline">')
               .replace('class="submitted"', 'class="byline"')
               .replace('<div id="breadcrumb"><div class="breadcrumb">', '<div id="crumbs"><div class="trail">'))
    assert changed.count("headline") == 1 and "breadcrumb" not in changed and "submitted" not in changed
    return changed


def test_site_check_names_the_fields_that_fell_back_on_a_file():
    url = "http://www.langson.gov.vn/sotnmt/node/2004"
    html = unknown_theme(GOLD_PAGE.read_text(encoding="utf-8")).encode()
    report = site_check.check_article(html, url, profile_for(url))
    matched = {s.name: s.matched for s in report.selectors}
    assert matched["title_css"] is None and matched["breadcrumb_css"] is None and matched["submitted_css"] is None
    assert report.record["title"].startswith("Tổng kết 20 năm phong trào")
    # The title still comes from the page's <title>, one of the profile's own rules.
    assert report.fallbacks == [] and report.missing == ["section"]
    plain = site_check.check_article(GOLD_PAGE.read_bytes(), url, profile_for(url))
    assert plain.fallbacks == [] and plain.missing == []


def test_site_check_reports_pages_it_cannot_read_instead_of_raising():
    url = "http://www.langson.gov.vn/tpls/node/1"
    deep = b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>"
    report = site_check.check_article(deep, url, TPLS)
    assert report.record is None and "failed at parse" in report.error
    assert report.missing == list(site_check.REQUIRED_FIELDS)
    assert site_check.check_listing(deep, url, TPLS).teasers == []
    binary = site_check.check_article(b"%PDF-1.4 \x00\x01 binary", url, TPLS)
    assert binary.record is None and binary.missing == ["title"]


@pytest.fixture
def unknown_theme_site(tmp_path, mirror):
    """A sub-site in a theme no profile names, served by a plain HTTP server."""
    site, _ = mirror
    root = tmp_path / "www"
    (root / "sotnmt" / "node").mkdir(parents=True)
    (root / "sotnmt" / "node" / "2004").write_text(unknown_theme(GOLD_PAGE.read_text(encoding="utf-8")),
                                                    encoding="utf-8")
    status, _, listing = site.handle("GET", "/tpls/home")
    assert status == 200
    # The sub-site's front page (/sotnmt/), where the generic profile looks for a listing.
    (root / "sotnmt" / "index.html").write_bytes(listing.replace(b"/tpls/", b"/sotnmt/"))
    _, _, robots = site.handle("GET", "/robots.txt")
    (root / "robots.txt").write_bytes(robots + b"\nUser-agent: *\nDisallow: /sotnmt/admin/\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_check_on_an_unknown_theme_names_the_fallbacks_and_the_missing_field(unknown_theme_site):
    result, report = _check_json(f"{unknown_theme_site}/sotnmt/node/2004", "--site", "drupal7")
    assert result.exit_code == 1, result.output
    assert (report["site"], report["registered"], report["profile"]) == ("sotnmt", False, "drupal7")
    assert report["article"]["fallbacks"] == [] and report["article"]["missing"] == ["section"]
    assert "not extracted: section" in result.stderr and result.stderr.count("\n") == 1
    assert report["listing"]["url"] == f"{unknown_theme_site}/sotnmt/"
    assert len(report["listing"]["teasers"]) >= 2
    assert "Disallow: /sotnmt/admin/" in report["robots"]["rules"]
    text = run("check", f"{unknown_theme_site}/sotnmt/node/2004", "--site", "drupal7").stdout
    assert "fell back: nothing" in text and "title_css                no match" in text


# evaluate --site ----------------------------------------------------------------------------

def test_evaluate_site_scores_each_version_on_its_gold_pages():
    result = run("evaluate", "--site", "tpls", "--no-trafilatura")
    assert result.exit_code == 0, result.output
    assert "== tpls version 2019 (current)" in result.stdout
    assert result.stdout.count("100.0%") == 12 * len(REGISTERED["tpls"].versions)


def test_evaluate_site_takes_explicit_site_or_version_directories(tmp_path):
    copy = tmp_path / "gold-copy"
    shutil.copytree(gold_root() / "drupal7", copy)
    for directory in (copy, copy / "2009"):
        result = run("evaluate", "--site", "drupal7", directory, "--no-trafilatura")
        assert result.exit_code == 0, result.output
        pages = len(list((copy / "2009").glob("*.json")))
        assert "== drupal7 version 2009" in result.stdout and f"pages: {pages}   failures: 0" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--site", "nope"), "unknown site 'nope'"),
    (("--site", "tpls", "--version", "1999"), "no profile version '1999'"),
    (("--version", "2019"), "--version goes with --site"),
    ((), "give DIR... or --site NAME"),
])
def test_evaluate_refuses_in_one_line(args, message):
    result = run("evaluate", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_evaluate_site_refuses_a_directory_of_no_version(tmp_path):
    result = run("evaluate", "--site", "tpls", tmp_path)
    assert result.exit_code == 2 and "is a directory of tpls version 2012 or 2019" in result.stderr


def test_a_gold_page_is_read_with_its_capture_dates_version_or_its_directorys(monkeypatch):
    old = replace(TPLS, version="2009", valid_until=date(2019, 6, 1))
    monkeypatch.setitem(REGISTERED, "tpls", Site("tpls", (old, TPLS)))
    page = {"page_url": "http://www.langson.gov.vn/tpls/node/1", "origin": {"captured_at": "2012-05-01T00:00:00Z"}}
    assert page_profile(page).version == "2009"
    assert page_profile({**page, "origin": {}}).version == "2019"
    assert page_profile(page, TPLS).version == "2019"
    generic = page_profile({"page_url": "http://www.langson.gov.vn/sotnmt/node/2"}, REGISTERED["tpls"].versions[0])
    assert generic.version == "2009" and generic.base_url == "http://www.langson.gov.vn/sotnmt/"


def test_check_keeps_the_crawl_delay_between_requests_except_on_loopback(capsys):
    import time

    from lsarchive.cli.sites import _politeness

    started = time.monotonic()
    _politeness(0.3, "http://www.langson.gov.vn/tpls/node/1")()
    assert time.monotonic() - started >= 0.3
    assert "waiting 0.3 s (robots.txt Crawl-delay)" in capsys.readouterr().err
    started = time.monotonic()
    _politeness(60, "http://127.0.0.1:8000")()  # the mirror as proxy: no wait
    _politeness(None, "http://www.langson.gov.vn/")()
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_sites_on_a_real_crawl_of_the_mirror(crawled_archive):
    import sqlite3

    result = run("sites", "--db", crawled_archive, "--json")
    assert result.exit_code == 0, result.output
    (tpls,) = [row for row in map(json.loads, result.stdout.splitlines()) if row["site"] == "tpls"]
    conn = sqlite3.connect(crawled_archive)
    run_id, status = conn.execute("select id, status from crawl_runs order by id desc limit 1").fetchone()
    conn.close()
    assert tpls["site"] == "tpls" and tpls["articles"] == 40 and tpls["errors"] == 0
    assert (tpls["last_run"]["id"], tpls["last_run"]["status"]) == (run_id, status) == (run_id, "finished")


@pytest.mark.parametrize(("name", "profile"), [("sotttt", "sotttt"), ("caoloc", "caoloc"), ("bqlkkt", "drupal7")])
def test_check_reads_each_sibling_of_the_mirror_with_its_profile(mirror, name, profile):
    """The province's other sub-sites through the mirror: their own profiles, or
    for the theme no profile names, the generic one with the fields that fell back."""
    site, server = mirror
    node_id = site.node_ids(name)[0]
    truth = site.truth(node_id, PORTAL_URL.rsplit("/tpls/", 1)[0], subsite=name)
    result, report = _check_json(truth["url"], "--proxy", server.proxy_url)
    assert result.exit_code == 0, result.output
    assert (report["site"], report["profile"]) == (name, profile)
    assert {field: report["article"]["record"][field] for field in CONTRACT_FIELDS} == truth
    assert report["article"]["missing"] == []
    if profile == "drupal7":
        assert {"body", "date"} <= set(report["article"]["fallbacks"])
    else:
        assert report["article"]["fallbacks"] == []
