"""What the WARC records say: the wire as it was, revisits for what did not change."""

from __future__ import annotations

import html
import json
import sqlite3

import pytest
from warcio.archiveiterator import ArchiveIterator

from lsarchive.warc import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED

from .helpers import archived_records, invoke_cli
from .warc_tools import Pywb, assert_tools_accept

@pytest.fixture(scope="module")
def refreshed(mirror_refresh):
    """conftest.mirror_refresh: the session's crawl (40 articles, --contact-url,
    WARCs rotated at 100 kB), then a --refresh crawl of the same, unchanged site."""
    return vars(mirror_refresh)


def records(path):
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            http = record.http_headers
            yield record.rec_type, dict(record.rec_headers.headers), http


def test_every_warc_passes_warcio_check_and_cdxj_indexer(refreshed):
    """The refresh's file; the crawl's pass in test_captures (the same files)."""
    assert len(refreshed["first"]) >= 2 and len(refreshed["second"]) == 1
    entries = assert_tools_accept(*refreshed["second"])
    assert {entry["filename"] for entry in entries} == {path.name for path in refreshed["second"]}


def test_request_lines_carry_the_http_version(refreshed):
    lines = [http.protocol + " " + http.statusline for path in refreshed["files"]
             for kind, _, http in records(path) if kind == "request"]
    assert lines and all(line.startswith("GET /") and line.endswith(" HTTP/1.1") for line in lines)


def test_every_record_names_its_warcinfo(refreshed):
    for path in refreshed["files"]:
        found = list(records(path))
        assert found[0][0] == "warcinfo"
        info_id = found[0][1]["WARC-Record-ID"]
        assert all(fields.get("WARC-Warcinfo-ID") == info_id for _, fields, _ in found[1:])


def test_warcinfo_operator_is_the_archivists_contact_only_when_given(refreshed):
    def warcinfo(path) -> str:
        with open(path, "rb") as handle:
            return next(iter(ArchiveIterator(handle))).content_stream().read().decode()

    assert all(f"operator: {refreshed['contact_url']}" in warcinfo(path) for path in refreshed["first"])
    assert "operator:" not in warcinfo(refreshed["second"][0])  # the refresh gave no --contact-url


def test_capture_time_is_the_warc_date_of_the_exchange(refreshed):
    conn = sqlite3.connect(refreshed["db"])
    rows = conn.execute("select fetched_at, warc_file, warc_offset from pages where warc_file is not null").fetchall()
    assert rows
    folder = refreshed["folder"] / "warcs"
    for fetched_at, warc_file, offset in rows:
        with open(folder / warc_file, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
        assert record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00") == fetched_at
    # One format for every timestamp the crawl stores: ISO 8601 UTC, seconds, +00:00.
    for (value,) in conn.execute("select fetched_at from pages union all select first_archived_at from articles "
                                 "union all select last_checked_at from articles"):
        assert len(value) == 25 and value.endswith("+00:00"), value


def test_a_304_is_a_server_not_modified_revisit_of_the_full_capture(refreshed):
    [second] = refreshed["second"]
    full = {fields["WARC-Target-URI"]: fields for path in refreshed["first"]
            for kind, fields, _ in records(path) if kind == "response"}
    later = list(records(second))
    wire = {fields["WARC-Concurrent-To"]: http for kind, fields, http in later if kind == "metadata"}
    not_modified = [fields for kind, fields, http in later
                    if kind == "revisit" and fields.get("WARC-Profile") == PROFILE_NOT_MODIFIED]
    articles = refreshed["site"].article_count
    assert len(not_modified) == articles  # every archived article, asked again
    for fields in not_modified:
        original = full[fields["WARC-Refers-To-Target-URI"]]
        assert fields["WARC-Refers-To-Date"] == original["WARC-Date"]
        assert fields["WARC-Refers-To"] == original["WARC-Record-ID"]
        assert fields["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
        assert fields["Content-Length"] == "0"  # replay tools answer with the original's headers
        # The 304 as received, beside it: no Content-Length, which the mirror does not send.
        head = wire_head(second, fields["WARC-Record-ID"])
        assert head.startswith(b"HTTP/1.1 304 Not Modified\r\n") and b"Etag:" in head
        assert b"Content-Length" not in head
    assert len(wire) == articles


def wire_head(path, revisit_id: str) -> bytes:
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "metadata" and record.rec_headers.get_header("WARC-Concurrent-To") == revisit_id:
                return record.content_stream().read()
    raise AssertionError(f"no metadata record for {revisit_id}")


def test_a_repeated_payload_is_an_identical_payload_digest_revisit(refreshed):
    [second] = refreshed["second"]
    full = {fields["WARC-Record-ID"]: fields for path in refreshed["first"]
            for kind, fields, _ in records(path) if kind == "response"}
    identical = [fields for kind, fields, _ in records(second)
                 if kind == "revisit" and fields.get("WARC-Profile") == PROFILE_IDENTICAL]
    assert identical  # the home page and listings did not change
    for fields in identical:
        original = full[fields["WARC-Refers-To"]]
        assert fields["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
        assert fields["WARC-Refers-To-Date"] == original["WARC-Date"]


def test_reextract_resolves_the_revisits(refreshed, tmp_path):
    fresh = tmp_path / "fresh.db"
    result = invoke_cli("reextract", "--db", refreshed["db"], "--into", fresh)
    assert ", 0 errors" in result.stdout
    articles = refreshed["site"].article_count
    assert f"({articles} new, 0 updated, {articles} unchanged)" in result.stdout
    assert archived_records(fresh) == archived_records(refreshed["db"])


@pytest.mark.slow
def test_pywb_replays_the_latest_capture_of_an_unchanged_article_in_full(refreshed, tmp_path):
    from lsarchive.extract import extract_article
    from lsarchive.profiles import get_profile

    site, base_url = refreshed["site"], refreshed["base_url"]
    profile = get_profile("tpls").with_base_url(base_url)
    with Pywb(tmp_path / "pywb", refreshed["files"]) as pywb:
        for node_id in site.node_ids():
            url = site.article_url(node_id, base_url)
            captures = pywb.captures(url)
            assert len(captures) == 2 and captures[-1]["mime"] == "warc/revisit"  # the refresh's 304
            status, body = pywb.get(url)  # the latest capture
            assert status == 200
            assert extract_article(body, url, profile).to_dict() == site.truth(node_id, base_url)
            status, page = pywb.get(url, captures[-1]["timestamp"], "mp_")  # as a reader sees it
            title = site.truth(node_id, base_url)["title"]
            assert status == 200 and (title.encode() in page or html.escape(title).encode() in page)
        # `lsarchive extract <replay URL>` gives the original's record, whatever pywb rewrote.
        node_id = site.node_ids()[0]
        url = site.article_url(node_id, base_url)
        stamp = pywb.captures(url)[0]["timestamp"]
        result = invoke_cli("extract", f"{pywb.base_url}{stamp}mp_/{url}")
        assert json.loads(result.stdout) == site.truth(node_id, base_url)


@pytest.mark.slow
def test_the_wacz_export_validates_and_lists_every_article_capture(refreshed, tmp_path):
    import gzip
    import subprocess
    import sys
    import zipfile

    output = tmp_path / "archive.wacz"
    result = invoke_cli("export", "--format", "wacz", "-o", output, "--db", refreshed["db"])
    captures = 2 * refreshed["site"].article_count  # every article, crawled then refreshed
    assert f"{captures} article captures" in result.stderr
    check = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(output)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(output) as wacz:
        names = set(wacz.namelist())
        lines = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()]
        index_name = next(n for n in names if n.startswith("indexes/") and n.endswith((".cdx.gz", ".cdxj")))
        index = wacz.read(index_name)
        index = (gzip.decompress(index) if index_name.endswith(".gz") else index).decode()
    assert {"datapackage.json", "datapackage-digest.json"} <= names
    assert lines[0]["format"] == "json-pages-1.0"
    pages = lines[1:]
    site, base_url = refreshed["site"], refreshed["base_url"]
    expected = {(site.article_url(n, base_url), site.truth(n, base_url)["title"]) for n in site.node_ids()}
    assert {(page["url"], page["title"]) for page in pages} == expected
    assert len(pages) == captures
    stamps = {(page["url"], page["ts"].replace("-", "").replace(":", "").replace("T", "")[:14]) for page in pages}
    indexed = {(json.loads(line.split(" ", 2)[2]).get("url"), line.split(" ", 2)[1]) for line in index.splitlines()}
    assert stamps <= indexed  # every page is a capture the index holds, at its WARC-Date
    # pywb reads the WACZ back: the newest capture of an article replays in full.
    with Pywb(tmp_path / "pywb", [output]) as pywb:
        node_id = site.node_ids()[0]
        status, body = pywb.get(site.article_url(node_id, base_url))
        assert status == 200 and html.escape(site.truth(node_id, base_url)["title"]).encode() in body
