"""Content codings the archive decodes: every common one, strictly, within bounds."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from lsarchive.content_coding import ACCEPT_ENCODING, UndecodableContent, decode

TEXT = "Thành phố Lạng Sơn triển khai công tác thi đua. ".encode() * 5000


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "deflate": zlib.compress(TEXT),
    "br": brotli.compress(TEXT),
    "zstd": zstandard.ZstdCompressor().compress(TEXT),
}


@pytest.mark.parametrize("coding", sorted(ENCODED))
def test_every_coding_decodes_and_a_cut_stream_is_an_error(coding):
    assert decode(ENCODED[coding], coding) == TEXT
    with pytest.raises(UndecodableContent):
        decode(ENCODED[coding][:-4], coding)


def test_variants_servers_send():
    assert decode(deflate_raw(TEXT), "deflate") == TEXT  # raw deflate, as some servers send
    assert decode(gzip.compress(TEXT) + gzip.compress(b"!"), "gzip") == TEXT + b"!"  # two members
    stream = zstandard.ZstdCompressor(write_content_size=False).compressobj()
    assert decode(stream.compress(TEXT) + stream.flush(), "zstd") == TEXT  # no size in the frame
    assert decode(gzip.compress(brotli.compress(TEXT)), "br, gzip") == TEXT  # applied in turn
    assert decode(TEXT, "identity") == TEXT and decode(b"", "gzip") == b""


def test_garbage_and_unknown_codings_are_errors():
    with pytest.raises(UndecodableContent, match="br does not decode"):
        decode(b"this is not brotli at all" * 10, "br")
    with pytest.raises(UndecodableContent, match="unknown content coding 'compress'"):
        decode(TEXT, "compress")


def test_a_decompression_bomb_is_refused_without_being_held():
    bomb = gzip.compress(b"\0" * (64 << 20))  # 64 MB of zeros in ~64 KB
    with pytest.raises(UndecodableContent, match="decodes to more than"):
        decode(bomb, "gzip", limit=8 << 20)
    assert decode(bomb, "gzip", keep=False) == b""  # proved to decode, nothing kept


def test_a_crawl_asks_only_for_what_replay_tools_decode_too():
    assert ACCEPT_ENCODING == "gzip, deflate, br"
