"""A reverse proxy on 127.0.0.1 that compresses what the mirror serves.

Like a CDN or a front-end server in front of the portal, it answers with the
content coding it prefers among those the client accepts: gzip sent in chunks,
br or zstd, taken in turn by URL. Paths listed in `corrupt` get a body that
declares br but is not br, as a broken server might send. With `force`, it
compresses whatever the client accepts, as misconfigured servers do.
"""

from __future__ import annotations

import gzip
import http.client
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import brotli
import zstandard

CODINGS = ("gzip", "br", "zstd")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def compress(coding: str, body: bytes) -> bytes:
    if coding == "gzip":
        return gzip.compress(body)
    if coding == "br":
        # Quality 5, as servers compress on the fly: brotli's default (11) costs 50 times the CPU.
        return brotli.compress(body, quality=5)
    return zstandard.ZstdCompressor().compress(body)


class CompressingProxy:
    def __init__(self, upstream: str, corrupt: tuple[str, ...] = (), force: bool = False):
        self.force = force
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.corrupt = set(corrupt)
        self.sent: dict[str, int] = {}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                proxy.serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/tpls/"

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "accept-encoding"}
        connection.request("GET", handler.path, headers=headers)  # Host passes through: links point here
        upstream = connection.getresponse()
        body = upstream.read()
        connection.close()
        accepted = {c.strip().split(";")[0] for c in (handler.headers.get("Accept-Encoding") or "").split(",")}
        coding = CODINGS[zlib.crc32(handler.path.encode()) % len(CODINGS)]
        handler.send_response(upstream.status)
        for key, value in upstream.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() not in ("date", "server"):
                handler.send_header(key, value)
        if upstream.status in (204, 304) or not body:
            handler.send_header("Content-Length", "0") if upstream.status not in (204, 304) else None
            handler.end_headers()
            return
        if handler.path in self.corrupt:
            coding, body = "br", b"this is not brotli at all" * 10
        elif coding in accepted or self.force:
            body = compress(coding, body)
        else:
            coding = None
        if coding:
            handler.send_header("Content-Encoding", coding)
            self.sent[coding] = self.sent.get(coding, 0) + 1
        if coding == "gzip":  # sent in chunks, as servers stream what they compress
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for start in range(0, len(body), 1000):
                piece = body[start:start + 1000]
                handler.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            handler.wfile.write(b"0\r\n\r\n")
        else:
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

    def __enter__(self) -> "CompressingProxy":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
