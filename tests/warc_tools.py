"""Other archive tools, run on the WARCs the tests write.

The tools live in virtualenvs of their own (`make .venv-tools`: pywb,
py-wacz, cdxj-indexer; warcprox apart), because pywb pins versions that
Scrapy does not share. A WARC the project writes must satisfy them, not only the project.
"""

from __future__ import annotations

import http.client
import io
import json
import subprocess
from pathlib import Path

import pytest

from .helpers import stop_process

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".venv-tools" / "bin"


def tool(name: str, folder: Path = TOOLS) -> str:
    path = folder / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make .venv-tools` (make test does)")
    return str(path)


def warcprox_python() -> str:
    """warcprox has a virtualenv of its own (its cryptography pin clashes with pywb's)."""
    return tool("python", TOOLS.parent / "warcprox" / "bin")


def warcio_check(*paths: Path) -> None:
    """`warcio check`: every block and payload digest of every record of every file."""
    # The tools' warcio, with pywb's brotli binding: warcio 1.8 breaks on br
    # bodies with brotli >= 1.2, which Scrapy requires in the project's own venv.
    result = subprocess.run([tool("warcio"), "check", "-v", *map(str, paths)], capture_output=True, text=True)
    names = ", ".join(path.name for path in paths)
    assert result.returncode == 0, f"warcio check {names}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"


def cdxj_index(*paths: Path) -> list[dict]:
    """`cdxj-indexer` (pywb's indexer): one entry per capture, none refused;
    each entry's `filename` names the file it came from."""
    result = subprocess.run([tool("cdxj-indexer"), *map(str, paths)], capture_output=True, text=True)
    names = ", ".join(path.name for path in paths)
    assert result.returncode == 0 and "Traceback" not in result.stderr, \
        f"cdxj-indexer {names}:\n{result.stderr[-3000:]}"
    entries = []
    for line in result.stdout.splitlines():
        key, stamp, data = line.split(" ", 2)
        entries.append({"urlkey": key, "timestamp": stamp, **json.loads(data)})
    return entries


def assert_tools_accept(*paths: Path) -> list[dict]:
    """Both checks on the WARC files (one run of each tool for all of them:
    each start costs a second); returns their CDXJ entries."""
    warcio_check(*paths)
    return cdxj_index(*paths)


class Pywb:
    """A real pywb (wayback) on 127.0.0.1 over a collection of WARC files."""

    def __init__(self, folder: Path, files: list[Path], collection: str = "coll"):
        import socket

        self.folder = folder
        self.collection = collection
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([tool("wb-manager"), "init", collection], cwd=folder, check=True, capture_output=True)
        unpack = ["--unpack-wacz"] if any(str(f).endswith(".wacz") for f in files) else []
        subprocess.run([tool("wb-manager"), "add", *unpack, collection, *map(str, files)], cwd=folder,
                       check=True, capture_output=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/{collection}/"
        self.log = folder / "wayback.log"
        self.process = None

    def __enter__(self) -> "Pywb":
        import time
        import urllib.request

        with open(self.log, "w") as log:
            self.process = subprocess.Popen([tool("wayback"), "-p", str(self.port), "-b", "127.0.0.1"],
                                            cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pywb exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("pywb did not start within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            stop_process(self.process)

    def get(self, url: str, stamp: str = "2999", modifier: str = "id_") -> tuple[int, bytes]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.base_url}{stamp}{modifier}/{url}", timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def captures(self, url: str) -> list[dict]:
        import urllib.parse
        import urllib.request

        query = urllib.parse.urlencode({"url": url, "output": "json"})
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{self.collection}/cdx?{query}",
                                    timeout=30) as response:
            return [json.loads(line) for line in response.read().decode().splitlines() if line.strip()]


PORTAL = "http://www.langson.gov.vn/tpls/"


def portal_pages(site) -> dict[int, tuple[str, bytes, dict]]:
    """Each article's page of the MirrorSite `site` as the live portal serves it
    (the mirror, asked for the portal's host)."""
    from lsarchive.mirror import MirrorServer

    pages = {}
    with MirrorServer(site) as mirror:
        port = int(mirror.url.rsplit(":", 1)[1])
        for node_id in site.node_ids():
            url = site.article_url(node_id, PORTAL)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", url.split("www.langson.gov.vn", 1)[1], headers={"Host": "www.langson.gov.vn"})
            response = connection.getresponse()
            pages[node_id] = (url, response.read(), dict(response.getheaders()))
            connection.close()
    return pages


def write_warc(path, responses) -> None:
    """(uri, headers, body[, WARC-Date]) responses as another tool writes them:
    one gzip member each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        for uri, headers, body, *date in responses:
            http_headers = StatusAndHeaders("200 OK", [*headers, ("Content-Length", str(len(body)))],
                                            protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http_headers,
                warc_headers_dict={"WARC-Date": date[0] if date else "2026-11-30T10:00:00Z"}))
