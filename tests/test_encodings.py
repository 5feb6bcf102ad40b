"""Compressed responses: asked for only if readable, proved readable when stored,
read back by reextract and import-warc, and an error (exit 1) when they are not."""

from __future__ import annotations

import gzip
import io
import sqlite3
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.warc import warc_files

from .compressing_proxy import CompressingProxy
from .helpers import archived_records, assert_archive_is_the_truth, invoke_cli, run_cli, scalar
from .warc_tools import assert_tools_accept

ARTICLES = 20


@pytest.fixture(scope="module")
def compressed_crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compressed")
    db = folder / "archive.db"
    site = MirrorSite(articles=ARTICLES, seed=7)
    # A server that compresses with gzip (chunked), br and zstd, asked or not.
    with MirrorServer(site) as mirror, CompressingProxy(mirror.base_url, force=True) as proxy:
        run_cli("crawl", "--site-url", proxy.base_url, "--db", db, "--no-progress")
        yield {"db": db, "folder": folder, "site": site, "base_url": proxy.base_url, "sent": dict(proxy.sent)}


def stored_codings(files) -> Counter:
    counts = Counter()
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    counts[record.http_headers.get_header("Content-Encoding") or "identity"] += 1
    return counts


def test_the_crawl_archives_every_article_from_compressed_responses(compressed_crawl):
    site, base_url = compressed_crawl["site"], compressed_crawl["base_url"]
    assert_archive_is_the_truth(compressed_crawl["db"], site, base_url)
    assert set(compressed_crawl["sent"]) == {"gzip", "br", "zstd"}


def test_the_crawl_asks_only_for_codings_replay_tools_decode(compressed_crawl):
    asked = set()
    for path in warc_files(compressed_crawl["folder"] / "warcs"):
        with open(path, "rb") as handle:
            asked |= {r.http_headers.get_header("Accept-Encoding") for r in ArchiveIterator(handle)
                      if r.rec_type == "request"}
    assert asked == {"gzip, deflate, br"}


@pytest.fixture(scope="module")
def honest_crawl(tmp_path_factory):
    """A crawl through a server that compresses only with what it is asked
    for, and sends one article page as br that does not decode."""
    site = MirrorSite(articles=6, seed=7)
    db = tmp_path_factory.mktemp("honest") / "archive.db"
    with MirrorServer(site) as mirror:
        bad = site.article_url(site.node_ids()[0], mirror.base_url)
        path = bad.split(mirror.url, 1)[1]
        with CompressingProxy(mirror.base_url, corrupt=(path,)) as proxy:
            result = run_cli("crawl", "--site-url", proxy.base_url, "--db", db, "--no-progress", check=False)
            sent = dict(proxy.sent)
    return {"db": db, "result": result, "sent": sent, "bad_path": path}


def test_a_server_that_honours_accept_encoding_sends_no_zstd(honest_crawl):
    sent = honest_crawl["sent"]
    assert "zstd" not in sent and sent.get("gzip") and sent.get("br")
    assert scalar(honest_crawl["db"], "select count(*) from articles") == 5  # 6 but the one that does not decode


def test_the_warcs_keep_the_codings_as_received_and_pass_the_tools(compressed_crawl):
    files = warc_files(compressed_crawl["folder"] / "warcs")
    counts = stored_codings(files)
    assert counts["gzip"] and counts["br"] and counts["zstd"], counts
    assert_tools_accept(*files)


def test_reextract_rebuilds_every_article(compressed_crawl, tmp_path):
    fresh = tmp_path / "fresh.db"
    result = invoke_cli("reextract", "--db", compressed_crawl["db"], "--into", fresh)
    assert f"{ARTICLES} new" in result.stdout and ", 0 errors" in result.stdout
    assert archived_records(fresh) == archived_records(compressed_crawl["db"])


def test_import_warc_rebuilds_every_article(compressed_crawl, tmp_path):
    imported = tmp_path / "imported.db"
    files = warc_files(compressed_crawl["folder"] / "warcs")
    result = invoke_cli("import-warc", *files, "--db", imported)
    assert f"{ARTICLES} new" in result.stdout and ", 0 errors" in result.stdout
    assert archived_records(imported) == archived_records(compressed_crawl["db"])


def test_a_response_that_does_not_decode_is_an_error_of_the_crawl(honest_crawl):
    db, result, path = honest_crawl["db"], honest_crawl["result"], honest_crawl["bad_path"]
    assert result.returncode == 1, result.stdout + result.stderr
    conn = sqlite3.connect(db)
    stage, reason = conn.execute("select stage, reason from extraction_errors where url like ?",
                                 ["%" + path]).fetchone()
    assert stage == "capture" and "br does not decode" in reason
    assert scalar(db, "select count(*) from articles") == 5


def foreign_warc(path, body: bytes, coding: str, url: str) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Encoding", coding),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      length=len(body), http_headers=headers))


def test_an_undecodable_record_of_another_tool_is_an_error_exit_1(tmp_path):
    url = "http://www.langson.gov.vn/tpls/tin-tuc-su-kien/bai-viet"
    foreign_warc(tmp_path / "bad.warc.gz", gzip.compress(b"<html>" * 50)[:-20], "gzip", url)
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", tmp_path / "bad.warc.gz", "--db", db, check=False)
    assert result.returncode == 1 and "1 errors" in result.stdout, result.stdout + result.stderr
    reason = scalar(db, "select reason from extraction_errors where url = ?", url)
    assert "gzip stream is truncated" in reason
