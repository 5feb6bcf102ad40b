"""Serve a MirrorSite over HTTP/1.1 on a local port.

The standard library's ThreadingHTTPServer (one daemon thread per
connection, keep-alive) with two changes that matter for speed: each
response is written in one send (headers and body together, with
TCP_NODELAY) so keep-alive clients never wait on Nagle's algorithm, and
nothing is logged per request unless asked.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from datetime import date
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .site import MirrorSite

from .pages import PORTAL_HOSTS, PORTAL_URL  # noqa: F401 (PORTAL_URL: the package's public name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections end after two minutes

    def parse_request(self) -> bool:
        # Called right after the request line was read, before the headers:
        # the arrival time politeness is measured by (per host, all sub-sites).
        self.arrived_at = time.monotonic()
        return super().parse_request()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._discard_request_body()
        self._serve("POST")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def _discard_request_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _serve(self, method: str) -> None:
        mirror: MirrorServer = self.server.mirror  # type: ignore[attr-defined]
        if mirror.latency:  # a network-bound server, for measuring crawls that scale out
            time.sleep(mirror.latency)
        if self.path.startswith(("http://", "https://")):
            # Asked as an HTTP proxy: answer for the portal's own host, so a
            # crawl through the mirror archives the portal's URLs.
            target = urlsplit(self.path)
            if target.hostname not in PORTAL_HOSTS:
                body = f"{target.hostname} is not mirrored here\n".encode()
                self._send(method, 502, [("Content-Type", "text/plain; charset=utf-8"),
                                         ("Content-Length", str(len(body)))], body, target.path)
                return
            self.path = target.path + (f"?{target.query}" if target.query else "")
        faults = mirror.site.faults
        answer = faults.answer(method, self.path, dict(self.headers.items())) if faults else None
        if callable(answer):  # a broken connection: the fault writes (or withholds) the bytes
            mirror._record(method, self.path, answer(self), self.arrived_at)
            return
        try:
            status, headers, body = answer or mirror.site.handle(method, self.path, dict(self.headers.items()))
        except Exception:  # a bug in the mirror must not kill the connection silently
            traceback.print_exc(file=sys.stderr)
            status, headers, body = 500, [("Content-Type", "text/plain; charset=utf-8")], b"Internal error\n"
            headers.append(("Content-Length", str(len(body))))
            self.close_connection = True
        self._send(method, status, headers, body, self.path)

    def _send(self, method: str, status: int, headers: list[tuple[str, str]], body: bytes, path: str) -> None:
        mirror: MirrorServer = self.server.mirror  # type: ignore[attr-defined]
        mirror._record(method, path, status, getattr(self, "arrived_at", None))
        reason = HTTPStatus(status).phrase
        lines = [f"HTTP/1.1 {status} {reason}", f"Date: {formatdate(usegmt=True)}", "Server: Apache"]
        lines += [f"{name}: {value}" for name, value in headers]
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + body if method != "HEAD" else head)
        if mirror.verbose:
            self.log_request(status, len(body))

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.mirror.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A crawler that was stopped (or killed) mid-request resets its
        # connections: that is the client's business, not a server error.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)
    request_queue_size = 128


class MirrorServer:
    """A MirrorSite served in a background thread.

        with MirrorServer(MirrorSite(240, seed=1)) as server:
            urlopen(server.base_url + "home")

    `port=0` picks a free port. Creating the server binds the port and sets
    `site.base_url`, so `site.truth()` gives URLs of this server.
    """

    def __init__(self, site: MirrorSite, host: str = "127.0.0.1", port: int = 0, verbose: bool = False,
                 latency: float = 0.0):
        self.site = site
        self.verbose = verbose
        self.latency = latency
        """Seconds each response waits before it is sent (`lsarchive mirror --latency`)."""
        self._httpd = _Server((host, port), _Handler)
        self._httpd.mirror = self  # type: ignore[attr-defined]
        self.host = host
        self.port = self._httpd.server_address[1]
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else (f"[{host}]" if ":" in host else host)
        self.url = f"http://{shown}:{self.port}"
        self.base_url = self.url + "/tpls/"
        site.base_url = self.base_url
        self.proxy_url = self.url
        """Use as an HTTP proxy to reach the mirror at the portal's own URL (PORTAL_URL)."""
        self.requests = 0
        """Requests served so far."""
        self.request_log: list[tuple[str, str, int]] = []
        """(method, path with query, status) of every request, in order."""
        self.request_times: list[float] = []
        """time.monotonic() at which the request line of each request of request_log arrived."""
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _record(self, method: str, path: str, status: int, arrived_at: float | None = None) -> None:
        with self._lock:
            self.requests += 1
            self.request_log.append((method, path, status))
            self.request_times.append(arrived_at or time.monotonic())

    @property
    def access_log(self) -> list[dict]:
        """Every request so far: method, path (with its sub-site prefix and query),
        status and arrived_at (time.monotonic() when its request line arrived)."""
        with self._lock:
            return [{"method": method, "path": path, "status": status, "arrived_at": arrived}
                    for (method, path, status), arrived in zip(self.request_log, self.request_times)]

    @property
    def request_paths(self) -> list[str]:
        with self._lock:
            return [path for _, path, _ in self.request_log]

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="lsarchive-mirror", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_mirror(
    articles: int = 240,
    seed: int = 1,
    port: int = 8000,
    edits: int = 0,
    additions: int = 0,
    host: str = "127.0.0.1",
    verbose: bool = False,
    faults: str | None = None,
    latency: float = 0.0,
    as_of: date | None = None,
    sibling_articles: int | None = None,
) -> None:
    """Serve the mirror until Ctrl-C (the `lsarchive mirror` command)."""
    site = MirrorSite(articles=articles, seed=seed, edits=edits, additions=additions, faults=faults,
                      as_of=as_of, sibling_articles=sibling_articles)
    server = MirrorServer(site, host=host, port=port, verbose=verbose, latency=latency)
    # Stop cleanly on Ctrl-C and on SIGTERM, even when started in the
    # background by a shell, which makes its children ignore SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"Serving {site.article_count} articles at {server.base_url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    for sub in site.subsites()[1:]:
        print(f"  and {sub['article_count']} at {server.url}{sub['base_path']} ({sub['title']})",
              file=sys.stderr, flush=True)
    if as_of:
        print(f"  as the province stood on {as_of:%Y-%m-%d}", file=sys.stderr, flush=True)
    for path, kind in (site.faults.kinds() if site.faults else {}).items():
        print(f"  fault {kind}: {site.faults.url(path)}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
