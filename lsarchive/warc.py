"""WARC 1.1 captures: every HTTP exchange of a crawl, written with warcio.

warcio (Webrecorder's library, also behind pywb) writes records that other
tools read and computes block and payload digests. Writing WARC by hand would
get those details wrong.

Files are `<prefix>-<UTC time>-<serial>.warc.gz` under a `warcs/` folder
beside the archive, one gzip member per record, rotated at a size. A file is
named `.warc.gz.open` while it is written; a crawl killed mid-write leaves an
`.open` file that the next writer repairs (keeps only complete records) and
closes, so every finished file passes `warcio check`.

What a record holds is what went over the wire, with two exceptions that the
HTTP client (Twisted) imposes: the body is stored without its transfer coding
(chunks joined), and the connection headers that describe the transfer
(Transfer-Encoding, Connection, Keep-Alive) are not seen. Content codings
(gzip, br, zstd...) are kept as received. A response whose payload repeats
one already captured is written as a `revisit` record (WARC 1.1 section 6.7):
`identical-payload-digest`, or `server-not-modified` for a 304.

Reading (other tools' files too) is in lsarchive.warc_read.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import BufferWARCWriter, WARCWriter

from . import __version__
from .warc_read import Capture, read_captures, warc_files  # noqa: F401 (the module's public names)

__all__ = [
    "Capture", "Exchange", "Original", "Repair", "WarcWriter", "Written", "payload_digest",
    "read_captures", "repair_open_files", "warc_date", "warc_files",
]

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
DEFAULT_MAX_SIZE = 1_000_000_000  # bytes; Heritrix's customary 1 GB
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_date(moment: datetime) -> str:
    """WARC-Date to the second: the same instant the archive stores as capture time."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload_digest(payload: bytes) -> str:
    """The WARC-Payload-Digest warcio writes (sha1, base32) for these bytes."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()


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
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass
class Original:
    """The full capture a revisit record points at."""

    uri: str
    date: str  # its WARC-Date
    record_id: str | None = None
    payload_digest: str | None = None


@dataclass
class Written:
    """Where and how an exchange's response was written."""

    file: str
    offset: int
    record_id: str
    date: str
    revisit_of: Original | None = None

    def __iter__(self):  # `name, offset = writer.write_exchange(...)` reads as before
        return iter((self.file, self.offset))

    def __getitem__(self, index: int):
        return (self.file, self.offset)[index]


class WarcWriter:
    def __init__(self, folder: str | Path, *, prefix: str = "lsarchive",
                 max_size: int = DEFAULT_MAX_SIZE, info: dict | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.info = info or {}
        self.serial = 0
        self.file: io.FileIO | None = None
        self.path: Path | None = None
        self.writer: WARCWriter | None = None
        self.warcinfo_id: str | None = None
        self.repairs = repair_open_files(self.folder)

    # Files -----------------------------------------------------------------
    def _open_next(self) -> None:
        self.close()
        self.serial += 1
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        name = f"{self.prefix}-{stamp}-{self.serial:05d}.warc.gz"
        self.path = self.folder / (name + OPEN_SUFFIX)
        # Unbuffered: a failed write (disk full) is cut back at once, never
        # left in a buffer to be flushed half-way later.
        self.file = open(self.path, "wb", buffering=0)
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        info = {
            "software": f"lsarchive/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            **{key: value for key, value in self.info.items() if value},
        }
        record = self.writer.create_warcinfo_record(name, info)
        self.warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._write(record)

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
        data = memoryview(member.get_contents())
        try:
            while data:
                data = data[self.file.write(data):]
        except OSError:
            # Disk full or an I/O error: no torn record stays in the file.
            self.file.truncate(offset)
            self.file.seek(offset)
            raise
        return offset

    # Records ----------------------------------------------------------------
    def write_exchange(self, exchange: Exchange, *, revisit_of: Original | None = None,
                       not_modified: bool = False, provenance: dict[str, str] | None = None) -> Written:
        """Write the response (or revisit) record, then the request record.

        `revisit_of` makes the response a revisit of that capture: of profile
        server-not-modified when `not_modified` (a 304), else
        identical-payload-digest. A 304 is a revisit even when its original
        is unknown to the writer. `provenance`: extra WARC fields of the
        response record (a web archive's capture: its original URL and time).
        """
        if self.file is None or self.file.tell() >= self.max_size:
            self._open_next()
        writer = self.writer
        date = warc_date(exchange.started)
        common = {"WARC-Date": date, "WARC-Warcinfo-ID": self.warcinfo_id}
        status_line = f"{exchange.status} {exchange.reason}".strip()
        response_headers = StatusAndHeaders(status_line, exchange.response_headers, protocol=exchange.protocol)
        warc_headers = dict(common)
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        warc_headers.update(provenance or {})
        if revisit_of is not None or not_modified:
            response = self._revisit_record(exchange, response_headers, warc_headers, revisit_of, not_modified)
        else:
            response = writer.create_warc_record(
                exchange.url, "response", payload=io.BytesIO(exchange.response_body),
                length=len(exchange.response_body), http_headers=response_headers,
                warc_headers_dict=warc_headers,
            )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        # The request line as sent: method, target and HTTP version.
        request_headers = StatusAndHeaders(f"{_request_target(exchange.url)} {exchange.protocol}",
                                           exchange.request_headers, protocol=exchange.method)
        request = writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), http_headers=request_headers,
            warc_headers_dict={**common, "WARC-Concurrent-To": response_id},
        )
        offset = self._write(response)
        if not_modified:
            self._write(self._wire_headers_record(response_headers, common, response_id))
        self._write(request)
        return Written(self.current_name, offset, response_id, date, revisit_of)

    def _revisit_record(self, exchange: Exchange, http_headers: StatusAndHeaders, warc_headers: dict,
                        original: Original | None, not_modified: bool):
        """A revisit record: the response's headers and no payload (it is the original's).

        A server-not-modified revisit has an empty block: replay tools (pywb)
        answer with the headers of the revisit's block when it has some, and a
        304 there would replay as an empty page; the 304 as received is kept
        in a metadata record beside it (see _wire_headers_record).
        """
        headers = dict(warc_headers)
        digest = original.payload_digest if original and not_modified else None
        if not not_modified:
            digest = payload_digest(exchange.response_body)
        if digest:
            headers["WARC-Payload-Digest"] = digest
        if original is not None:
            headers["WARC-Refers-To-Target-URI"] = original.uri
            headers["WARC-Refers-To-Date"] = original.date
            if original.record_id:
                headers["WARC-Refers-To"] = original.record_id
        headers["WARC-Profile"] = PROFILE_NOT_MODIFIED if not_modified else PROFILE_IDENTICAL
        return self.writer.create_warc_record(exchange.url, "revisit", warc_headers_dict=headers,
                                              http_headers=None if not_modified else http_headers)

    def _wire_headers_record(self, http_headers: StatusAndHeaders, common: dict, revisit_id: str):
        """The 304's status line and headers, as received, in a metadata record
        concurrent to its revisit. It has no target URI, so indexers skip it."""
        head = http_headers.to_bytes()
        return self.writer.create_warc_record(
            "", "metadata", payload=io.BytesIO(head), length=len(head),
            warc_content_type="application/http; msgtype=response",
            warc_headers_dict={**common, "WARC-Concurrent-To": revisit_id},
        )


def _request_target(url: str) -> str:
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


