"""Deduplicated captures made by another tool (warcprox): its revisit records
resolve to the payloads they repeat, so every article is imported."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite

from .helpers import archived_records, assert_archive_is_the_truth, free_port, invoke_cli
from .warc_tools import assert_tools_accept, tool, warcprox_python

ARTICLES = 20
# warcprox refuses loopback targets unless told otherwise, which only its
# Python API can do (its own test suite does the same); the mirror is on 127.0.0.1.
ALLOW_LOOPBACK = ("import sys, warcprox.main, warcprox.warcproxy; "
                  "warcprox.warcproxy.WarcProxyHandler.allow_localhost = True; "
                  "sys.argv[0] = 'warcprox'; warcprox.main.main()")


class Warcprox:
    """A real warcprox on 127.0.0.1, deduplicating by payload digest."""

    def __init__(self, folder: Path, dedup_db: Path):
        self.folder, self.dedup_db, self.port = folder, dedup_db, free_port()
        self.process = None

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = open(self.folder.parent / f"warcprox-{self.folder.name}.log", "w")
        self.process = subprocess.Popen(
            [warcprox_python(), "-c", ALLOW_LOOPBACK, "-p", str(self.port), "-b", "127.0.0.1",
             "-d", str(self.folder), "-z", "-j", str(self.dedup_db),
             # No statistics: they pass through a stage that batches for 30 s
             # before anything reaches the count wait_until_processed reads.
             "--stats-db-file", "/dev/null",
             "--certs-dir", str(self.folder.parent / "certs"), "-c", str(self.folder.parent / "ca.pem")],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder.parent)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "warcprox exited"
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=2).connect()
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("warcprox did not start")

    def get(self, url: str, warc_prefix: str) -> int:
        """GET `url` through the proxy, recorded in a WARC file named warc_prefix-…"""
        return self._request(url, {"Warcprox-Meta": json.dumps({"warc-prefix": warc_prefix})})[0]

    def wait_until_processed(self, count: int) -> None:
        """Until warcprox has written (and entered in its dedup db) `count`
        exchanges: it does so after answering, in threads of its own."""
        deadline = time.monotonic() + 60
        while json.loads(self._request("/status")[1])["urls_processed"] < count:
            assert time.monotonic() < deadline, "warcprox did not write what it fetched"
            time.sleep(0.05)

    def _request(self, url: str, headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)  # warcprox closes its WARC files
        self.process.wait(timeout=60)
        self.log.close()


def revisit_count(path: Path) -> int:
    out = subprocess.run([tool("warcio"), "index", "-f", "warc-type,warc-profile", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return sum(json.loads(line).get("warc-type") == "revisit" for line in out.splitlines())


@pytest.fixture(scope="module")
def warcprox_captures(tmp_path_factory):
    """Two passes over every article through one warcprox, each into WARC files
    of its own (warcprox's warc-prefix): the second is deduplicated."""
    folder = tmp_path_factory.mktemp("warcprox")
    site = MirrorSite(articles=ARTICLES, seed=3)
    with MirrorServer(site) as mirror:
        urls = [site.article_url(n, mirror.base_url) for n in site.node_ids()]
        with Warcprox(folder / "warcs", folder / "dedup.db") as proxy:
            for passes, name in enumerate(("first", "second"), 1):
                assert all(proxy.get(url, warc_prefix=name) == 200 for url in urls)
                proxy.wait_until_processed(passes * len(urls))
        base_url = mirror.base_url
    first, second = (sorted((folder / "warcs").glob(f"{name}-*.warc.gz")) for name in ("first", "second"))
    assert first and second
    return {"site": site, "base_url": base_url, "first": first, "second": second}


def test_warcprox_wrote_a_revisit_for_every_article(warcprox_captures):
    assert len(warcprox_captures["second"]) == 1
    assert revisit_count(warcprox_captures["second"][0]) == ARTICLES
    assert_tools_accept(*warcprox_captures["first"], *warcprox_captures["second"])


def test_a_deduplicated_capture_imports_every_article(warcprox_captures, tmp_path):
    """The revisits come first; their originals are in the other file given."""
    site, base_url = warcprox_captures["site"], warcprox_captures["base_url"]
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", *warcprox_captures["second"], *warcprox_captures["first"], "--db", db)
    assert f"({ARTICLES} new, 0 updated, {ARTICLES} unchanged), 0 errors" in result.stdout, result.stdout
    assert_archive_is_the_truth(db, site, base_url)


def test_a_revisit_whose_original_is_nowhere_is_an_error(warcprox_captures, tmp_path):
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", *warcprox_captures["second"], "--db", db, check=False)
    assert result.returncode == 1 and f"{ARTICLES} errors" in result.stdout, result.stdout


def test_heritrix_style_revisits_found_by_digest_alone(tmp_path):
    """WARC/1.0 identical-payload-digest revisits without WARC-Refers-To-* (older
    Heritrix): the original is the capture with the same payload digest."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from .warc_tools import PORTAL, portal_pages

    site = MirrorSite(articles=3, seed=8)
    pages = portal_pages(site)
    first, second = tmp_path / "first.warc.gz", tmp_path / "second.warc.gz"
    digests = {}
    with open(first, "wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.0")
        for url, body, _ in pages.values():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=headers)
            writer.write_record(record)
            digests[url] = record.rec_headers.get_header("WARC-Payload-Digest")
    with open(second, "wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.0")
        for url, body, _ in pages.values():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "revisit", http_headers=headers, warc_headers_dict={
                "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
                "WARC-Payload-Digest": digests[url], "WARC-Date": "2030-01-01T00:00:00Z"})
            writer.write_record(record)
    assert_tools_accept(first, second)
    db = tmp_path / "archive.db"
    result = invoke_cli("import-warc", second, first, "--db", db)
    assert "(3 new, 0 updated, 3 unchanged), 0 errors" in result.stdout, result.stdout
    for node_id, record in archived_records(db).items():
        assert record == site.truth(node_id, PORTAL)
