"""WARC 1.1 captures: every HTTP exchange of a crawl, written with warcio.

warcio (Webrecorder's library, also behind pywb) writes records that other
tools read, computes block and payload digests, and reads WARCs made by
wget, Heritrix, Browsertrix or the Wayback Machine. Writing WARC by hand
would get those details wrong.

Files are `<prefix>-<UTC time>-<serial>.warc.gz` under a `warcs/` folder
beside the archive, one gzip member per record, rotated at a size. A file is
named `.warc.gz.open` while it is written; a crawl killed mid-write leaves an
`.open` file that the next writer repairs (cuts the torn last record) and
closes, so every finished file passes `warcio check`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import BufferWARCWriter, WARCWriter

from . import __version__

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
DEFAULT_MAX_SIZE = 1_000_000_000  # bytes; Heritrix's customary 1 GB


@dataclass
class Exchange:
    """One HTTP exchange as it went over the wire (bodies as received)."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    response_body: bytes
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None


@dataclass
class Capture:
    """A response record read back from a WARC file."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes  # transfer and content encodings undone
    date: str
    warc_file: str
    offset: int


class WarcWriter:
    def __init__(self, folder: str | Path, *, prefix: str = "lsarchive",
                 max_size: int = DEFAULT_MAX_SIZE, info: dict | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.info = info or {}
        self.serial = 0
        self.file: io.BufferedWriter | None = None
        self.path: Path | None = None
        self.writer: WARCWriter | None = None
        repair_open_files(self.folder)

    # Files -----------------------------------------------------------------
    def _open_next(self) -> None:
        self.close()
        self.serial += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        name = f"{self.prefix}-{stamp}-{self.serial:05d}.warc.gz"
        self.path = self.folder / (name + OPEN_SUFFIX)
        self.file = open(self.path, "wb")
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        info = {
            "software": f"lsarchive/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            **self.info,
        }
        self._write(self.writer.create_warcinfo_record(name, info))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            final = self.path.with_name(self.path.name[: -len(OPEN_SUFFIX)])
            os.replace(self.path, final)
            self.file = self.writer = self.path = None

    @property
    def current_name(self) -> str:
        return self.path.name[: -len(OPEN_SUFFIX)]

    def _write(self, record) -> int:
        """Write one record as one gzip member with one write(); return its offset."""
        member = BufferWARCWriter(gzip=True, warc_version="1.1")
        member.write_record(record)
        offset = self.file.tell()
        self.file.write(member.get_contents())
        self.file.flush()
        return offset

    # Records ----------------------------------------------------------------
    def write_exchange(self, exchange: Exchange) -> tuple[str, int]:
        """Write the response and request records; return (file name, response offset)."""
        if self.file is None or self.file.tell() >= self.max_size:
            self._open_next()
        writer = self.writer
        status_line = f"{exchange.status} {exchange.reason}".strip()
        response_headers = StatusAndHeaders(status_line, exchange.response_headers, protocol=exchange.protocol)
        warc_headers = {"WARC-IP-Address": exchange.ip_address} if exchange.ip_address else {}
        response = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.response_body),
            length=len(exchange.response_body), http_headers=response_headers,
            warc_headers_dict=warc_headers,
        )
        path = _request_target(exchange.url)
        request_headers = StatusAndHeaders(f"{exchange.method} {path}", exchange.request_headers,
                                           protocol=exchange.protocol, is_http_request=True)
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), http_headers=request_headers,
        )
        request.rec_headers.replace_header("WARC-Date", response.rec_headers.get_header("WARC-Date"))
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        offset = self._write(response)
        self._write(request)
        return self.current_name, offset


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass
class Repair:
    """What the repair of one `.open` file kept and cut."""

    path: Path  # the closed file (gone if nothing was kept)
    records_kept: int
    bytes_cut: int


def repair_open_files(folder: Path) -> list[Repair]:
    """Close WARC files left open by a killed crawl, keeping only complete records.

    A record is complete when its gzip member ends, its block is as long as
    its Content-Length says and its WARC-Block-Digest matches. Everything from
    the first record that is not is cut (a crash tears only the tail), and the
    number of bytes cut is logged and returned.
    """
    repairs = []
    for path in sorted(Path(folder).glob(f"*.warc.gz{OPEN_SUFFIX}")):
        size = path.stat().st_size
        good_end, kept = _complete_records(path)
        with open(path, "r+b") as handle:
            handle.truncate(good_end)
            handle.flush()
            os.fsync(handle.fileno())
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if kept == 0:
            path.unlink()
        else:
            os.replace(path, final)
        repair = Repair(final, kept, size - good_end)
        logger.warning("Repaired %s: kept %d complete records, cut %d bytes",
                       final.name, kept, repair.bytes_cut)
        repairs.append(repair)
    return repairs


def _complete_records(path: Path) -> tuple[int, int]:
    """(end offset of the last complete record, how many records precede it)."""
    end = kept = 0
    with open(path, "rb") as handle:
        for member_end, data in _gzip_members(handle):
            if not is_complete_record(data):
                break
            end, kept = member_end, kept + 1
    return end, kept


def _gzip_members(handle, chunk_size: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
    """(end offset, uncompressed bytes) of each gzip member, up to the first torn one."""
    offset, pending = 0, b""
    while True:
        decompressor = zlib.decompressobj(wbits=31)
        parts, consumed, started = [], 0, False
        while not decompressor.eof:
            data = pending or handle.read(chunk_size)
            pending = b""
            if not data:
                return  # the end of the file, or a member torn off before its end
            started = True
            try:
                parts.append(decompressor.decompress(data))
            except zlib.error:
                return
            consumed += len(data) - len(decompressor.unused_data)
            pending = decompressor.unused_data
        if not started:
            return
        offset += consumed
        yield offset, b"".join(parts)


def is_complete_record(data: bytes) -> bool:
    """One uncompressed WARC record: headers, a block of Content-Length bytes
    whose digest matches WARC-Block-Digest, and the closing CRLF CRLF."""
    if not data.startswith(b"WARC/"):
        return False
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    headers = {}
    for line in data[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().decode("latin-1")
    try:
        length = int(headers.get(b"content-length", ""))
    except ValueError:
        return False
    block_start = head_end + 4
    block = data[block_start:block_start + length]
    if len(block) != length or data[block_start + length:] != b"\r\n\r\n":
        return False
    declared = headers.get(b"warc-block-digest")
    return declared is None or digest_matches(declared, block)


def digest_matches(declared: str, data: bytes) -> bool:
    """A WARC digest ("sha1:BASE32", "sha256:hex"...) checked against data."""
    algorithm, _, value = declared.partition(":")
    try:
        digest = hashlib.new(algorithm.strip().lower().replace("-", ""), data).digest()
    except ValueError:
        return True  # an algorithm this Python lacks: length alone must do
    value = value.strip()
    return value.upper() == base64.b32encode(digest).decode() or value.lower() == digest.hex()


def read_captures(path: str | Path) -> Iterator[Capture]:
    """Every HTTP response record of a WARC (or ARC) file, bodies decoded."""
    path = Path(path)
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle, arc2warc=True)
        for record in iterator:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = int((record.http_headers.get_statuscode() or "0") or 0)
            headers = {k: v for k, v in record.http_headers.headers}
            body = record.content_stream().read()
            offset = iterator.get_record_offset()  # reads to the record's end: body first
            yield Capture(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=status, headers=headers, body=body,
                date=record.rec_headers.get_header("WARC-Date") or "",
                warc_file=path.name, offset=offset,
            )


def warc_files(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(list(folder.glob("*.warc.gz")) + list(folder.glob("*.warc")))
