"""Archival fidelity: WARC captures, re-extraction from them, imports of other tools' WARCs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lsarchive.mirror import MirrorServer
from lsarchive.warc import warc_files

from .helpers import archived_records, assert_archive_is_the_truth, invoke_cli, scalar
from .warc_tools import assert_tools_accept

WARCIO = [sys.executable, "-m", "warcio.cli"]


@pytest.fixture(scope="module")
def site(mirror_crawl):
    return mirror_crawl.site


@pytest.fixture(scope="module")
def crawl(mirror_crawl):
    """The session's crawl (conftest.mirror_crawl): WARC files rotated at 100 kB."""
    return {"db": mirror_crawl.db, "folder": mirror_crawl.folder, "base_url": mirror_crawl.base_url}


def content_hashes(db: Path) -> dict[int, str]:
    import sqlite3

    conn = sqlite3.connect(db)
    return dict(conn.execute("select node_id, content_hash from articles"))


def test_every_warc_passes_warcio_check_and_cdxj_indexer(crawl):
    files = warc_files(crawl["folder"] / "warcs")
    assert len(files) >= 2, "expected the small size limit to rotate files"
    assert_tools_accept(*files)  # warcio check and cdxj-indexer
    assert not list((crawl["folder"] / "warcs").glob("*.open"))


def test_warc_index_lists_a_response_for_every_article(crawl):
    import json
    import sqlite3

    responses = set()
    files = map(str, warc_files(crawl["folder"] / "warcs"))
    out = subprocess.run([*WARCIO, "index", "-f", "warc-type,warc-target-uri,http:status", *files],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        entry = json.loads(line)
        if entry.get("warc-type") == "response":
            responses.add(entry["warc-target-uri"])
    conn = sqlite3.connect(crawl["db"])
    article_pages = {u for (u,) in conn.execute("select url from pages where kind = 'article'")}
    assert article_pages and article_pages <= responses
    assert any(u.endswith("/robots.txt") for u in responses)
    assert any(u.endswith(".jpg") for u in responses)


def test_provenance_points_at_the_response_record(crawl):
    import sqlite3

    from warcio.archiveiterator import ArchiveIterator

    conn = sqlite3.connect(crawl["db"])
    url, warc_file, offset, sha = conn.execute(
        "select url, warc_file, warc_offset, sha256 from pages where kind = 'article' limit 1").fetchone()
    with open(crawl["folder"] / "warcs" / warc_file, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == url
        assert record.rec_headers.get_header("WARC-Payload-Digest")
        import hashlib
        assert hashlib.sha256(record.content_stream().read()).hexdigest() == sha


def test_warcinfo_names_the_software_and_settings(crawl):
    from warcio.archiveiterator import ArchiveIterator

    first = warc_files(crawl["folder"] / "warcs")[0]
    with open(first, "rb") as handle:
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "warcinfo"
        text = record.content_stream().read().decode()
    assert "software: lsarchive/" in text and "lsarchive-settings:" in text


def test_reextract_into_an_empty_archive_gives_the_same_articles(crawl, tmp_path):
    fresh = tmp_path / "fresh.db"
    result = invoke_cli("reextract", "--db", crawl["db"], "--into", fresh)
    assert "errors" in result.stdout
    assert content_hashes(fresh) == content_hashes(crawl["db"])
    assert archived_records(fresh) == archived_records(crawl["db"])


def test_reextract_rebuilds_the_media_from_the_warcs(crawl, tmp_path):
    import sqlite3

    fresh = tmp_path / "fresh.db"
    invoke_cli("reextract", "--db", crawl["db"], "--into", fresh)
    query = "select url, sha256, size, content_type, path, status, fetched_at from media order by url"
    crawled = sqlite3.connect(crawl["db"]).execute(query).fetchall()
    rebuilt = sqlite3.connect(fresh).execute(query).fetchall()
    assert len(crawled) > 40 and rebuilt == crawled
    for _, sha, size, _, path, _, _ in rebuilt:
        assert (tmp_path / "media" / path).stat().st_size == size


def test_reextract_in_place_changes_nothing(crawl, tmp_path):
    import sqlite3

    db = tmp_path / "copy.db"
    shutil.copy(crawl["db"], db)
    shutil.copytree(crawl["folder"] / "warcs", tmp_path / "warcs")
    before = scalar(db, "select count(*) from revisions")
    media = sqlite3.connect(db).execute("select * from media order by url").fetchall()
    invoke_cli("reextract", "--db", db)
    assert scalar(db, "select count(*) from revisions") == before
    assert sqlite3.connect(db).execute("select * from media order by url").fetchall() == media


def test_media_stored_once_by_sha256(crawl):
    import hashlib
    import sqlite3

    conn = sqlite3.connect(crawl["db"])
    rows = conn.execute("select url, sha256, size, content_type, path from media").fetchall()
    assert rows and all(sha for _, sha, *_ in rows)
    for url, sha, size, content_type, path in rows:
        data = (crawl["folder"] / "media" / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
        assert content_type in ("image/jpeg", "application/pdf", "application/msword",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.mark.skipif(not shutil.which("wget"), reason="wget is installed by scripts/install-system-deps")
def test_import_a_warc_written_by_wget(site, tmp_path):
    db = tmp_path / "imported.db"
    with MirrorServer(site) as server:
        urls = [site.truth(n, server.base_url)["url"] for n in site.node_ids()]
        (tmp_path / "urls.txt").write_text("\n".join(urls))
        subprocess.run(
            ["wget", "--quiet", "--warc-file", str(tmp_path / "wget"), "--no-warc-keep-log",
             "-i", str(tmp_path / "urls.txt"), "-O", "/dev/null"],
            check=True, cwd=tmp_path, timeout=300,
        )
        base_url = server.base_url
    assert_tools_accept(tmp_path / "wget.warc.gz")
    invoke_cli("import-warc", tmp_path / "wget.warc.gz", "--db", db)
    assert_archive_is_the_truth(db, site, base_url)


def test_failed_media_is_recorded_and_retried_on_the_next_run(mirror_recrawl):
    """conftest.mirror_recrawl marked one media file failed, as a failed download
    is recorded (lsarchive.stages.PageWriter.write_media), then crawled again."""
    import sqlite3

    conn = sqlite3.connect(mirror_recrawl.db)
    status, sha, attempts = conn.execute(
        "select status, sha256, attempts from media where url = ?", [mirror_recrawl.failed_media]).fetchone()
    assert (status, attempts) == (200, 2) and len(sha) == 64
    assert conn.execute("select count(*) from media where sha256 is null").fetchone()[0] == 0


def test_a_media_failure_is_stored_with_its_reason(tmp_path):
    from lsarchive.crawl.items import MEDIA, PageItem
    from lsarchive.stages import PageWriter
    from lsarchive.store.archive import Archive

    with Archive(tmp_path / "archive.db") as archive:
        writer = PageWriter(archive, site="tpls", run_id=None, media_dir=tmp_path / "media")
        writer.write(PageItem(url="http://h/tpls/sites/tpls/files/a.jpg", status=404, kind=MEDIA,
                              body=b"not found", fetched_at="2026-01-01T00:00:00+00:00"))
        row = archive.db["media"].get("http://h/tpls/sites/tpls/files/a.jpg")
    assert row["status"] == 404 and row["error"] == "HTTP 404" and row["sha256"] is None
    assert not (tmp_path / "media").exists()


@pytest.mark.skipif(not shutil.which("wget"), reason="wget is installed by scripts/install-system-deps")
def test_the_same_articles_from_another_host_add_no_revision(site, crawl, tmp_path):
    """A wget capture of the same site served on another port (another host, for
    the archive) holds the same articles: nothing new, nothing updated, URLs kept."""
    import sqlite3

    db = tmp_path / "archive.db"
    shutil.copy(crawl["db"], db)
    before = sqlite3.connect(db).execute("select id, url, content_hash from articles order by id").fetchall()
    with MirrorServer(site) as server:
        assert server.base_url != crawl["base_url"]
        (tmp_path / "urls.txt").write_text("\n".join(site.truth(n, server.base_url)["url"] for n in site.node_ids()))
        subprocess.run(["wget", "--quiet", "--warc-file", str(tmp_path / "other"), "--no-warc-keep-log",
                        "-i", str(tmp_path / "urls.txt"), "-O", "/dev/null"], check=True, cwd=tmp_path, timeout=300)
    assert_tools_accept(tmp_path / "other.warc.gz")
    revisions = scalar(db, "select count(*) from revisions")
    result = invoke_cli("import-warc", tmp_path / "other.warc.gz", "--db", db)
    assert f"(0 new, 0 updated, {len(site.node_ids())} unchanged)" in result.stdout, result.stdout
    assert scalar(db, "select count(*) from revisions") == revisions
    assert sqlite3.connect(db).execute("select id, url, content_hash from articles order by id").fetchall() == before
