"""HTTP content codings (gzip, deflate, br, zstd): the ones the archive can read back.

A crawl asks servers only for the codings in ACCEPT_ENCODING and checks,
before it trusts a capture, that the stored bytes decode with `decode`; the
readers of WARC files (`reextract`, `import-warc`) decode with the same
function. warcio's own decoding is not used on the way back: it has no zstd
and its brotli support breaks with brotli 1.2 (Decompressor lost
`unused_data`).

Decoding is strict: a truncated or corrupt stream is an error, never a
silently shortened page.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator

import brotli
import zstandard

# What the archive's readers decode (a server may send any of them, asked or not).
READABLE_CODINGS = ("gzip", "deflate", "br", "zstd")
# What a crawl asks for: the codings that replay tools decode as well as the
# archive does. zstd is left out: pywb (through warcio) cannot decode it and
# would replay the compressed bytes.
ACCEPT_ENCODING = "gzip, deflate, br"


class UndecodableContent(ValueError):
    """The body does not decode with the coding its headers declare."""


def codings(header_value: str | None) -> list[str]:
    """The codings of a Content-Encoding value, in the order they were applied."""
    if not header_value:
        return []
    return [c.strip().lower() for c in header_value.split(",") if c.strip()
            and c.strip().lower() != "identity"]


def decode(body: bytes, content_encoding: str | None, *, limit: int | None = None,
           keep: bool = True) -> bytes:
    """The body with every content coding undone (the last applied first).

    Decoding streams through small slices, so that a body which decodes to
    more than `limit` bytes (a decompression bomb) is refused without being
    held in memory; with keep=False nothing is kept: the body is only proved
    to decode (and b"" returned).
    """
    if not body:
        return body
    stream: Iterator[bytes] = iter((body,))
    for coding in reversed(codings(content_encoding)):
        if coding not in _DECODERS:
            raise UndecodableContent(f"unknown content coding {coding!r}")
        stream = _named(coding, _DECODERS[coding](stream))
    total, parts = 0, []
    for piece in stream:
        total += len(piece)
        if limit is not None and total > limit:
            raise UndecodableContent(f"decodes to more than {limit:,} bytes")
        if keep:
            parts.append(piece)
    return b"".join(parts)


def _named(coding: str, stream: Iterator[bytes]) -> Iterator[bytes]:
    """Each library raises its own errors: say which coding failed, and how."""
    try:
        yield from stream
    except UndecodableContent:
        raise
    except Exception as exc:  # zlib.error, brotli.error, zstandard.ZstdError...
        raise UndecodableContent(f"{coding} does not decode: {exc}") from exc


def _slices(pieces: Iterator[bytes], size: int) -> Iterator[bytes]:
    for piece in pieces:
        for start in range(0, len(piece), size):
            yield piece[start:start + size]


def _gunzip(pieces: Iterator[bytes], wbits: int = 31, name: str = "gzip") -> Iterator[bytes]:
    # 4 KB of deflate input yields at most ~4 MB: its ratio is bounded (1032:1).
    decompressor = zlib.decompressobj(wbits=wbits)
    for data in _slices(pieces, 4096):
        while data:
            if decompressor.eof:  # another gzip member follows, or padding
                data = data.lstrip(b"\0")
                if not data:
                    break
                decompressor = zlib.decompressobj(wbits=wbits)
            yield decompressor.decompress(data)
            data = decompressor.unused_data if decompressor.eof else b""
    if not decompressor.eof:
        raise UndecodableContent(f"{name} stream is truncated")


def _inflate(pieces: Iterator[bytes]) -> Iterator[bytes]:
    # "deflate" is zlib-wrapped by the RFC, raw deflate by some servers.
    first = next(pieces, b"")
    zlib_wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    yield from _gunzip(itertools.chain((first,), pieces), 15 if zlib_wrapped else -15, "deflate")


def _unbrotli(pieces: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    for data in _slices(pieces, 65536):
        yield decompressor.process(data, output_buffer_limit=_OUTPUT_CHUNK)
        while not decompressor.can_accept_more_data():  # output still pending
            yield decompressor.process(b"", output_buffer_limit=_OUTPUT_CHUNK)
    while not decompressor.is_finished():
        out = decompressor.process(b"", output_buffer_limit=_OUTPUT_CHUNK)
        if not out:
            raise UndecodableContent("br stream is truncated")
        yield out


def _unzstd(pieces: Iterator[bytes]) -> Iterator[bytes]:
    # 256 bytes of zstd input yield at most a few MB (128 KB blocks, 3-byte headers).
    context = zstandard.ZstdDecompressor()
    decompressor = None
    for data in _slices(pieces, 256):
        while data:
            if decompressor is None or decompressor.eof:
                decompressor = context.decompressobj()
            yield decompressor.decompress(data)
            data = decompressor.unused_data if decompressor.eof else b""
    if decompressor is None or not decompressor.eof:
        raise UndecodableContent("zstd stream is truncated")


_OUTPUT_CHUNK = 1 << 20
_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd}
