"""Reading WARC (and ARC) files, the archive's own and other tools': wget,
Heritrix, warcprox, Browsertrix, pywb, the Wayback Machine.

Each response or revisit record becomes a Capture with its body decoded
(transfer coding, then content codings: gzip, deflate, br, zstd, see
lsarchive.content_coding). A revisit record is resolved to the payload of the
capture it refers to, found in the same file, in the other files being read,
or in the extra files a reader is given (the archive's own WARCs): by
WARC-Refers-To-Target-URI and WARC-Refers-To-Date, else by payload digest.

Nothing is skipped in silence: a record whose body does not decode, a revisit
whose original cannot be found, a record that cannot be parsed, a file cut
short or one that is no WARC at all each come out as a Capture with `error`
set, and reading goes on with the next record that can be found.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator

from .content_coding import UndecodableContent, decode

GZIP_MAGIC = b"\x1f\x8b\x08"
# A body that decodes to more is refused (an error), as Scrapy's default DOWNLOAD_MAXSIZE does.
DECODED_LIMIT = 1 << 30


@dataclass
class Capture:
    """A response record (or a resolved revisit) read back from a WARC file."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes  # transfer and content codings undone (raw if `error`)
    date: str  # WARC-Date of this record: when this capture was made
    warc_file: str
    offset: int
    error: str | None = None  # why the body could not be read
    revisit: str | None = None  # the WARC-Profile, when the record was a revisit
    record_type: str = "response"
    warc_path: Path | None = None  # the file itself, to read the record again


def header(headers: dict[str, str], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers.items() if k.lower() == name), None)


def dechunk(data: bytes) -> bytes:
    """Undo `Transfer-Encoding: chunked`; bytes that are not chunked stay as they are
    (some tools keep the header after joining the chunks)."""
    out, position = [], 0
    try:
        while True:
            line_end = data.index(b"\r\n", position)
            size = int(data[position:line_end].split(b";")[0].strip(), 16)
            if size == 0:
                return b"".join(out)
            start = line_end + 2
            if start + size > len(data):
                return data
            out.append(data[start:start + size])
            position = start + size + 2
    except ValueError:
        return data


def decode_payload(payload: bytes, headers: dict[str, str]) -> bytes:
    """The entity body of an HTTP payload as stored in a WARC record."""
    if "chunked" in (header(headers, "Transfer-Encoding") or "").lower():
        payload = dechunk(payload)
    return decode(payload, header(headers, "Content-Encoding"), limit=DECODED_LIMIT)


def warc_files(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(list(folder.glob("*.warc.gz")) + list(folder.glob("*.warc")))


def _second(date: str) -> str:
    """A WARC-Date to the second, the precision revisits are matched at."""
    return re.sub(r"[^0-9]", "", date)[:14]


@dataclass
class _Raw:
    url: str
    rec_type: str
    warc: dict[str, str]
    status: int
    headers: dict[str, str]
    payload: bytes
    offset: int


class CaptureReader:
    """Reads files in order, remembering where each full capture is, so that
    revisits resolve to their original wherever it was written."""

    def __init__(self, other_files: list[Path] | tuple = ()):
        self.by_uri_date: dict[tuple[str, str], tuple[Path, int]] = {}
        self.by_digest: dict[str, tuple[Path, int]] = {}
        self.unindexed: list[Path] = list(other_files)
        self.indexed: set[Path] = set()

    # Reading ------------------------------------------------------------------
    def read(self, path: str | Path) -> Iterator[Capture]:
        path = Path(path)
        self.indexed.add(path.resolve())
        for raw in self._records(path):
            if isinstance(raw, Capture):  # a part of the file that could not be read
                yield raw
                continue
            if raw.rec_type == "response":
                self._remember(path, raw)
                yield self._capture(path, raw)
            elif raw.rec_type == "revisit":
                yield self._resolve(path, raw)

    def capture_at(self, path: Path, offset: int) -> Capture | None:
        """The capture of the response or revisit record at `offset` (read again)."""
        raw = self._load(path, offset)
        if raw is None or raw.rec_type not in ("response", "revisit"):
            return None
        return self._capture(path, raw) if raw.rec_type == "response" else self._resolve(path, raw)

    def _capture(self, path: Path, raw: _Raw, *, body_from: _Raw | None = None,
                 revisit: str | None = None) -> Capture:
        source = body_from or raw
        capture = Capture(url=raw.url, status=raw.status, headers=raw.headers, body=source.payload,
                          date=raw.warc.get("warc-date", ""), warc_file=path.name, offset=raw.offset,
                          revisit=revisit, record_type=raw.rec_type, warc_path=path)
        try:
            capture.body = decode_payload(source.payload, source.headers)
        except UndecodableContent as exc:
            capture.error = f"stored body does not decode: {exc}"
        return capture

    def _records(self, path: Path) -> Iterator[_Raw | Capture]:
        """Every record of a file; a damaged stretch becomes an error Capture and
        reading resumes at the next gzip member that starts a record."""
        start, size = 0, path.stat().st_size
        if size == 0:
            yield _file_error(path, 0, "empty file")
            return
        if not _looks_like_warc(path):  # warcio would read some garbage as an ARC file
            yield _file_error(path, 0, "not a WARC or ARC file")
            return
        while start < size:
            with open(path, "rb") as handle:
                handle.seek(start)
                iterator = ArchiveIterator(handle, arc2warc=True, ensure_http_headers=False)
                last_end = start
                try:
                    for record in iterator:
                        raw = self._raw(record, 0)
                        raw.payload = _read_all(record.raw_stream)
                        missing = getattr(record.raw_stream, "limit", 0)
                        iterator.read_to_end(record)
                        raw.offset, length = iterator.member_info  # offsets in the file
                        last_end = raw.offset + length
                        if missing > 0:  # the file ends inside this record
                            yield _file_error(path, raw.offset, f"file cut short inside the record of "
                                              f"{raw.url or raw.rec_type} ({missing:,} bytes missing); "
                                              f"the records before it were read")
                            return
                        yield raw
                    return
                except Exception as exc:  # noqa: BLE001 (warcio raises many kinds)
                    problem = f"{type(exc).__name__}: {exc}".strip()
            if start == 0 and last_end == 0 and not _looks_like_warc(path):
                yield _file_error(path, 0, "not a WARC or ARC file")
                return
            resume = _next_member(path, max(last_end, start) + 1)
            where = f"at byte {max(last_end, start):,}"
            if resume is None:
                yield _file_error(path, last_end, f"file cut short or damaged {where} ({problem}); "
                                                  f"the records before it were read")
                return
            yield _file_error(path, last_end, f"unreadable record {where} ({problem}); "
                                              f"reading resumed at byte {resume:,}")
            start = resume

    @staticmethod
    def _raw(record, offset: int) -> _Raw:
        warc = {k.lower(): v for k, v in record.rec_headers.headers}
        http = record.http_headers
        status = 0
        headers: dict[str, str] = {}
        if http is not None and record.rec_type in ("response", "revisit"):
            try:
                status = int(http.get_statuscode() or 0)
            except ValueError:
                status = 0
            for key, value in http.headers:
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return _Raw(url=warc.get("warc-target-uri", "").strip("<>"), rec_type=record.rec_type,
                    warc=warc, status=status, headers=headers, payload=b"", offset=offset)

    # Revisits -------------------------------------------------------------------
    def _remember(self, path: Path, raw: _Raw) -> None:
        where = (path, raw.offset)
        self.by_uri_date.setdefault((raw.url, _second(raw.warc.get("warc-date", ""))), where)
        digest = raw.warc.get("warc-payload-digest")
        if digest:
            self.by_digest.setdefault(_digest_key(digest), where)

    def _resolve(self, path: Path, raw: _Raw) -> Capture:
        profile = raw.warc.get("warc-profile", "")
        original = self._find(raw)
        while original is None and self.unindexed:
            self._index(self.unindexed.pop(0))
            original = self._find(raw)
        if original is None:
            capture = self._capture(path, raw, revisit=profile)
            capture.error = "revisit of a capture that is in none of the files read " \
                            f"({raw.warc.get('warc-refers-to-target-uri') or 'digest ' + str(raw.warc.get('warc-payload-digest'))})"
            return capture
        source = self._load(*original)
        if source is None:
            capture = self._capture(path, raw, revisit=profile)
            capture.error = f"the original of this revisit cannot be read ({original[0].name})"
            return capture
        capture = self._capture(path, raw, body_from=source, revisit=profile)
        if "server-not-modified" in profile or raw.status == 304:
            # Not modified: the page is the original's, as checked at this record's time.
            capture.status, capture.headers = source.status, {**source.headers, **_validators(raw.headers)}
        return capture

    def _find(self, raw: _Raw) -> tuple[Path, int] | None:
        uri = (raw.warc.get("warc-refers-to-target-uri") or "").strip("<>")
        date = raw.warc.get("warc-refers-to-date")
        if uri and date and (uri, _second(date)) in self.by_uri_date:
            return self.by_uri_date[(uri, _second(date))]
        digest = raw.warc.get("warc-payload-digest")
        if digest and _digest_key(digest) in self.by_digest:
            return self.by_digest[_digest_key(digest)]
        return None

    def _index(self, path: Path) -> None:
        if path.resolve() in self.indexed:
            return
        self.indexed.add(path.resolve())
        for raw in self._records(path):
            if isinstance(raw, _Raw) and raw.rec_type == "response":
                self._remember(path, raw)

    def _load(self, path: Path, offset: int) -> _Raw | None:
        with open(path, "rb") as handle:
            handle.seek(offset)
            try:
                record = next(iter(ArchiveIterator(handle, arc2warc=True, ensure_http_headers=False)))
                raw = self._raw(record, offset)
                raw.payload = record.raw_stream.read()
                return raw
            except Exception:  # noqa: BLE001
                return None


def _read_all(stream) -> bytes:
    parts = []
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)


def _validators(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() in ("etag", "last-modified", "date")}


def _digest_key(digest: str) -> str:
    algorithm, _, value = digest.strip().partition(":")
    return f"{algorithm.lower()}:{value.upper()}"


def _file_error(path: Path, offset: int, reason: str) -> Capture:
    return Capture(url=path.name, status=0, headers={}, body=b"", date="", warc_file=path.name,
                   offset=offset, error=reason, record_type="file")


def _looks_like_warc(path: Path) -> bool:
    with open(path, "rb") as handle:
        start = handle.read(4096)
    if start.startswith(GZIP_MAGIC):
        try:
            start = zlib.decompressobj(wbits=31).decompress(start)
        except zlib.error:
            return False
    return start.startswith((b"WARC/", b"filedesc://"))


def _next_member(path: Path, after: int, window: int = 1 << 20) -> int | None:
    """Offset of the next gzip member after `after` that begins a WARC record."""
    with open(path, "rb") as handle:
        position = after
        while True:
            handle.seek(position)
            data = handle.read(window + 65536)  # a member's head may straddle windows
            if len(data) < len(GZIP_MAGIC):
                return None
            found = data.find(GZIP_MAGIC)
            while 0 <= found < window:
                try:
                    head = zlib.decompressobj(wbits=31).decompress(data[found:found + 65536], 16)
                except zlib.error:
                    head = b""
                if head.startswith(b"WARC/"):
                    return position + found
                found = data.find(GZIP_MAGIC, found + 1)
            if len(data) <= window:
                return None
            position += window


def read_captures(path: str | Path, reader: CaptureReader | None = None) -> Iterator[Capture]:
    """Every HTTP response of a WARC (or ARC) file, revisits resolved, bodies decoded."""
    return (reader or CaptureReader()).read(path)
