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

import zlib

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


def decode(body: bytes, content_encoding: str | None) -> bytes:
    """The body with every content coding undone (the last applied first)."""
    for coding in reversed(codings(content_encoding)):
        try:
            body = _DECODERS[coding](body)
        except KeyError:
            raise UndecodableContent(f"unknown content coding {coding!r}") from None
        except UndecodableContent:
            raise
        except Exception as exc:  # each library raises its own error type
            raise UndecodableContent(f"{coding} does not decode: {exc}") from exc
    return body


def _gunzip(body: bytes) -> bytes:
    out = []
    while body:
        decompressor = zlib.decompressobj(wbits=31)
        out.append(decompressor.decompress(body))
        if not decompressor.eof:
            raise UndecodableContent("gzip stream is truncated")
        body = decompressor.unused_data.lstrip(b"\0")  # members may follow, or padding
    return b"".join(out)


def _inflate(body: bytes) -> bytes:
    # "deflate" is zlib-wrapped by the RFC, raw deflate by some servers.
    for wbits in (15, -15):
        decompressor = zlib.decompressobj(wbits=wbits)
        try:
            data = decompressor.decompress(body)
        except zlib.error:
            continue
        if decompressor.eof:
            return data
    raise UndecodableContent("deflate stream is corrupt or truncated")


def _unbrotli(body: bytes) -> bytes:
    return brotli.decompress(body)


def _unzstd(body: bytes) -> bytes:
    out = []
    context = zstandard.ZstdDecompressor()
    while body:
        decompressor = context.decompressobj()
        out.append(decompressor.decompress(body))
        if not decompressor.eof:
            raise UndecodableContent("zstd stream is truncated")
        body = decompressor.unused_data
    return b"".join(out)


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd}
