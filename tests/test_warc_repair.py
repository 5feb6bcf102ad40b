"""Repair of WARC files left `.open` by a killed crawl: only complete records stay."""

from __future__ import annotations

import gzip
import io
import logging
import os

from warcio.archiveiterator import ArchiveIterator

from lsarchive import warc

from .warc_tools import assert_tools_accept


def exchange(n: int, size: int = 4000) -> warc.Exchange:
    body = (f"<html><body>page {n} ".encode() + os.urandom(size // 2).hex().encode())[:size]
    return warc.Exchange(
        url=f"http://www.langson.gov.vn/tpls/page-{n}", method="GET",
        request_headers=[("Host", "www.langson.gov.vn"), ("User-Agent", "lsarchive-test")],
        request_body=b"", status=200, reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        response_body=body,
    )


def write_open_file(folder, count: int):
    """A writer killed after `count` exchanges: its file stays `.open`."""
    writer = warc.WarcWriter(folder)
    offsets = [writer.write_exchange(exchange(n))[1] for n in range(count)]
    path = writer.path
    writer.file.close()  # as the kernel closes it on kill -9: no rename
    return path, offsets


def target_uris(path) -> list[str]:
    with open(path, "rb") as handle:
        return [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)
                if r.rec_type == "response"]


def test_a_record_torn_at_90_percent_is_cut_and_the_cut_reported(tmp_path, caplog):
    path, offsets = write_open_file(tmp_path, 5)
    size = path.stat().st_size
    last_start = offsets[-1]  # the last response record; its request record follows
    with open(path, "rb") as handle:
        handle.seek(last_start)
        data = handle.read()
    response_member_end = last_start + _first_member_length(data)
    torn_at = last_start + int((response_member_end - last_start) * 0.9)
    assert last_start < torn_at < response_member_end
    os.truncate(path, torn_at)

    with caplog.at_level(logging.WARNING, logger="lsarchive.warc"):
        repairs = warc.repair_open_files(tmp_path)

    assert len(repairs) == 1
    repair = repairs[0]
    assert repair.bytes_cut == torn_at - last_start, (repair, size)
    assert f"cut {repair.bytes_cut} bytes" in caplog.text
    assert not list(tmp_path.glob("*.open"))
    assert repair.path.stat().st_size == last_start
    # warcinfo + 4 complete exchanges (response + request each)
    assert repair.records_kept == 1 + 4 * 2
    assert target_uris(repair.path) == [f"http://www.langson.gov.vn/tpls/page-{n}" for n in range(4)]
    assert_tools_accept(repair.path)


def _first_member_length(data: bytes) -> int:
    import zlib

    decompressor = zlib.decompressobj(wbits=31)
    decompressor.decompress(data)
    return len(data) - len(decompressor.unused_data)


def test_a_complete_gzip_member_holding_a_short_block_is_cut(tmp_path):
    """What a full disk left: a record that declares more bytes than it holds."""
    path, offsets = write_open_file(tmp_path, 3)
    record = (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: http://h/x\r\n"
              b"WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
              b"Content-Length: 415\r\n\r\n\r\n\r\n")
    good_size = path.stat().st_size
    with open(path, "ab") as handle:
        handle.write(gzip.compress(record))
    repairs = warc.repair_open_files(tmp_path)
    assert repairs[0].path.stat().st_size == good_size
    assert repairs[0].bytes_cut == len(gzip.compress(record))
    assert_tools_accept(repairs[0].path)


def test_a_record_whose_block_digest_is_wrong_is_cut(tmp_path):
    path, offsets = write_open_file(tmp_path, 3)
    good_size = path.stat().st_size
    writer = warc.BufferWARCWriter(gzip=False, warc_version="1.1")
    writer.write_record(writer.create_warc_record(
        "http://h/y", "resource", payload=io.BytesIO(b"abcdef"), length=6,
        warc_content_type="text/plain"))
    data = writer.get_contents().replace(b"abcdef", b"abcxyz")
    with open(path, "ab") as handle:
        handle.write(gzip.compress(data))
    repairs = warc.repair_open_files(tmp_path)
    assert repairs[0].path.stat().st_size == good_size
    assert_tools_accept(repairs[0].path)


def test_a_file_with_nothing_complete_is_removed(tmp_path):
    path, offsets = write_open_file(tmp_path, 1)
    os.truncate(path, 10)
    repairs = warc.repair_open_files(tmp_path)
    assert repairs[0].records_kept == 0 and repairs[0].bytes_cut == 10
    assert not list(tmp_path.iterdir())


def test_a_new_writer_repairs_what_a_killed_one_left(tmp_path):
    path, offsets = write_open_file(tmp_path, 2)
    os.truncate(path, path.stat().st_size - 7)
    writer = warc.WarcWriter(tmp_path)
    writer.write_exchange(exchange(9))
    writer.close()
    files = warc.warc_files(tmp_path)
    assert len(files) == 2 and not list(tmp_path.glob("*.open"))
    assert_tools_accept(*files)
