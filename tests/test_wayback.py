"""Captures played back by Wayback archives: imported as the original pages,
dated by when they were captured, whatever the archive's host or replay form."""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import urljoin

import pytest
from lsarchive.mirror import MirrorSite

from .helpers import archived_records, assert_archive_is_the_truth, invoke_cli, scalar
from .warc_tools import PORTAL, assert_tools_accept, portal_pages, write_warc

HEAD_INSERT = (b'<script src="//archive.org/includes/athena.js" type="text/javascript"></script>\n'
               b'<script type="text/javascript">window.__wm.init("https://web.archive.org/web");</script>\n'
               b'<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=1" />\n'
               b'<!-- End Wayback Rewrite JS Include -->\n')
TOOLBAR = (b'<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp-base"><a href="/web/2017*/'
           b'http://www.langson.gov.vn/tpls/">captures</a><img src="/_static/images/toolbar/wayback-toolbar-logo.png">'
           b'</div><!-- END WAYBACK TOOLBAR INSERT -->')
TRAILER = b"<!--\n     FILE ARCHIVED ON 13:04:51 Jan 10, 2017 AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON 2026.\n-->"


def rewrite(html: bytes, page_url: str, archive: str, stamp: str) -> bytes:
    """What a Wayback serves for a page without id_: links through the archive, inserts added."""
    def replay(match):
        value = match[2].decode()
        if value.startswith(("#", "mailto:", "javascript:")):
            return match[0]
        absolute = urljoin(page_url, value)
        modifier = {"jpg": "im_", "png": "im_", "css": "cs_", "js": "js_"}.get(
            absolute.split("?")[0].rsplit(".", 1)[-1].lower(), "")
        return match[1] + f'"{archive}/{stamp}{modifier}/{absolute}"'.encode()

    html = re.sub(rb'((?:href|src)=)"([^"]*)"', replay, html)
    html = re.sub(rb"(<head[^>]*>)", lambda m: m[1] + HEAD_INSERT, html, count=1)
    html = re.sub(rb"(<body[^>]*>)", lambda m: m[1] + TOOLBAR, html, count=1)
    return html + TRAILER


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wayback")
    site = MirrorSite(articles=4, seed=2)
    pages = portal_pages(site)
    id_captures, rewritten = [], []
    for node_id, (url, body, headers) in pages.items():
        # web.archive.org, as captured (id_), with the original's headers as X-Archive-Orig-*;
        # the original URL written with its default port, as some captures are.
        original = url.replace("www.langson.gov.vn/", "www.langson.gov.vn:80/")
        id_captures.append((f"https://web.archive.org/web/20170110130451id_/{original}", [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Memento-Datetime", "Tue, 10 Jan 2017 13:04:51 GMT"),
            ("X-Archive-Orig-Last-Modified", headers["Last-Modified"]),
            ("X-Archive-Orig-ETag", headers["ETag"]),
            ("X-Archive-Orig-Content-Encoding", "gzip"),  # the original transfer, not these bytes
        ], body))
        # Archive-It, rewritten for display, dated by its 14-digit timestamp alone.
        archive = "https://wayback.archive-it.org/1234"
        rewritten.append((f"{archive}/20180301080910/{url}", [("Content-Type", "text/html; charset=utf-8")],
                          rewrite(body, url, archive, "20180301080910")))
    write_warc(folder / "web-archive-org.warc.gz", id_captures)
    write_warc(folder / "archive-it.warc.gz", rewritten)
    (folder / "rewritten.html").write_bytes(rewritten[0][2])
    return {"folder": folder, "site": site, "rewritten_url": rewritten[0][0],
            "first": site.node_ids()[0]}


def test_the_fixtures_pass_the_tools(wayback):
    assert_tools_accept(*(wayback["folder"] / name for name in ("web-archive-org.warc.gz", "archive-it.warc.gz")))


def test_id_captures_import_as_the_original_dated_by_their_capture(wayback, tmp_path):
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", wayback["folder"] / "web-archive-org.warc.gz", "--db", db)
    assert "(4 new, 0 updated, 0 unchanged), 0 errors" in result.stdout
    site = wayback["site"]
    assert_archive_is_the_truth(db, site, PORTAL)
    conn = sqlite3.connect(db)
    assert set(conn.execute("select first_archived_at from articles")) == {("2017-01-10T13:04:51+00:00",)}
    assert set(conn.execute("select archived_at from revisions")) == {("2017-01-10T13:04:51+00:00",)}
    assert set(conn.execute("select fetched_at from pages")) == {("2017-01-10T13:04:51+00:00",)}
    assert all(":80/" not in url and url.startswith(PORTAL) for (url,) in conn.execute("select url from pages"))
    # The original's validators, not the archive's.
    etags = {etag for (etag,) in conn.execute("select etag from articles")}
    assert all(etag and etag.startswith('"') for etag in etags)


def test_rewritten_pages_of_another_wayback_import_as_the_original(wayback, tmp_path):
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", wayback["folder"] / "archive-it.warc.gz", "--db", db)
    assert "(4 new, 0 updated, 0 unchanged), 0 errors" in result.stdout
    site = wayback["site"]
    for node_id, record in archived_records(db).items():
        assert record == site.truth(node_id, PORTAL)  # canonical, shortlink, images, attachments
    html = scalar(db, "select group_concat(body_html, '') from article_html")
    assert "archive-it" not in html and "wayback" not in html.lower()
    assert scalar(db, "select min(first_archived_at) from articles") == "2018-03-01T08:09:10+00:00"


def test_the_same_articles_from_two_archives_make_no_new_revision(wayback, tmp_path):
    db = tmp_path / "archive.db"
    invoke_cli("import-warc", wayback["folder"] / "web-archive-org.warc.gz", "--db", db)
    result = invoke_cli("import-warc", wayback["folder"] / "archive-it.warc.gz", "--db", db)
    assert "(0 new, 0 updated, 4 unchanged)" in result.stdout
    assert scalar(db, "select count(*) from revisions") == 4


def test_extract_reads_a_replayed_page_as_the_original(wayback):
    site, first = wayback["site"], wayback["first"]
    result = invoke_cli("extract", wayback["folder"] / "rewritten.html", "--url", wayback["rewritten_url"])
    assert json.loads(result.stdout) == site.truth(first, PORTAL)


def test_an_older_capture_imported_later_never_replaces_the_newer_text(wayback, tmp_path):
    """The 2018 capture is the current text; a 2016 capture of an earlier text, imported
    after it, becomes an earlier revision, dated 2016, and the current text stays."""
    db = tmp_path / "archive.db"
    invoke_cli("import-warc", wayback["folder"] / "archive-it.warc.gz", "--db", db)
    site = wayback["site"]
    older = []
    for node_id, (url, body, _) in portal_pages(site).items():
        title = site.truth(node_id, PORTAL)["title"]
        earlier = body.replace(title.encode(), f"{title} (dự thảo)".encode())
        older.append((f"https://web.archive.org/web/20160505050505id_/{url}",
                      [("Content-Type", "text/html; charset=utf-8")], earlier))
    write_warc(tmp_path / "older.warc.gz", older)
    result = invoke_cli("import-warc", tmp_path / "older.warc.gz", "--db", db)
    assert "(0 new, 4 updated, 0 unchanged)" in result.stdout
    for node_id, record in archived_records(db).items():
        assert record == site.truth(node_id, PORTAL)  # the newer text is still the current one
    conn = sqlite3.connect(db)
    rows = conn.execute("""select r.archived_at, json_extract(r.record, '$.title') from revisions r
                           order by r.article_id, r.archived_at""").fetchall()
    assert len(rows) == 8
    assert [at for at, _ in rows[:2]] == ["2016-05-05T05:05:05+00:00", "2018-03-01T08:09:10+00:00"]
    assert rows[0][1].endswith("(dự thảo)") and not rows[1][1].endswith("(dự thảo)")
    assert set(conn.execute("select first_archived_at from articles")) == {("2016-05-05T05:05:05+00:00",)}
    assert set(conn.execute("select last_archived_at from articles")) == {("2018-03-01T08:09:10+00:00",)}
    # Imported again, the older capture adds nothing.
    again = invoke_cli("import-warc", tmp_path / "older.warc.gz", "--db", db)
    assert "(0 new, 0 updated, 4 unchanged)" in again.stdout
