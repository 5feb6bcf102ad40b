"""import-warc on damaged input: what can be read is read, what cannot is
recorded and reported (exit 1), and a file that is no WARC is named in one line."""

from __future__ import annotations

import sqlite3

import pytest

from lsarchive.mirror import MirrorSite

from .helpers import archived_records, invoke_cli, scalar
from .warc_tools import PORTAL, portal_pages, write_warc


@pytest.fixture(scope="module")
def capture(tmp_path_factory):
    """Six article captures, one gzip member per record, and where each record starts."""
    folder = tmp_path_factory.mktemp("robust")
    site = MirrorSite(articles=6, seed=4)
    pages = portal_pages(site)
    order = list(pages)
    path = folder / "capture.warc.gz"
    write_warc(path, [(url, [("Content-Type", "text/html; charset=utf-8")], body)
                      for url, body, _ in pages.values()])
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        offsets = []
        for record in iterator:
            record.content_stream().read()
            offsets.append(iterator.get_record_offset())
    return {"path": path, "site": site, "order": order, "offsets": offsets, "data": path.read_bytes()}


def errors(db) -> list[tuple[str, str]]:
    return sqlite3.connect(db).execute("select stage, reason from extraction_errors").fetchall()


def test_one_bad_record_is_recorded_and_the_rest_is_read(capture, tmp_path):
    data, offsets = bytearray(capture["data"]), capture["offsets"]
    middle = (offsets[2] + offsets[3]) // 2  # inside the third record's gzip member
    data[middle:middle + 40] = b"\x00" * 40
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(bytes(data))
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", damaged, "--db", db, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "(5 new, 0 updated, 0 unchanged), 1 errors" in result.stdout
    expected = set(capture["order"]) - {capture["order"][2]}
    assert set(archived_records(db)) == expected
    [(stage, reason)] = errors(db)
    assert stage == "warc" and "reading resumed at byte" in reason


def test_a_truncated_file_is_reported_with_what_was_read(capture, tmp_path):
    offsets = capture["offsets"]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(capture["data"][:offsets[5] + (len(capture["data"]) - offsets[5]) // 2])
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", cut, "--db", db, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "(5 new, 0 updated, 0 unchanged), 1 errors" in result.stdout
    for node_id, record in archived_records(db).items():
        assert record == capture["site"].truth(node_id, PORTAL)  # nothing half-read
    [(stage, reason)] = errors(db)
    assert stage == "warc" and "cut short" in reason


def test_a_file_that_is_no_warc_is_named_in_one_line(tmp_path):
    picture = tmp_path / "photo.warc.gz"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", picture, "--db", db, check=False)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "photo.warc.gz" in lines[0] and "not a WARC" in lines[0]
    assert lines[0].isprintable()
    assert scalar(db, "select count(*) from extraction_errors where stage = 'warc'") == 1
    assert scalar(db, "select status from crawl_runs") != "running"
