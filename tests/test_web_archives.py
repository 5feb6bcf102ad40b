"""`lsarchive wayback` against a real pywb on 127.0.0.1: its CDX server API and its
`id_` replay, over a collection built from WARCs of the mirror's pages (some
articles captured twice with different texts, some never captured), and
`lsarchive coverage` naming exactly those never captured."""

from __future__ import annotations

import http.client
import http.server
import json
import random
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.profiles import get_profile

from .helpers import LSARCHIVE, archived_records, free_port, run_cli, scalar
from .warc_tools import PORTAL, Pywb, portal_pages, write_warc

pytestmark = pytest.mark.slow

CAPTURED_AT = "2019-06-01T08:00:00Z"  # the newest capture of every captured article
EARLIER_AT = "2017-03-04T05:06:07Z"  # an earlier text of some of them
LISTINGS_AT = "2020-01-02T03:04:05Z"


def portal_files(site, urls: list[str]) -> list[tuple[str, str, bytes]]:
    """(url, content type, body) of each URL the portal serves, asked of the mirror."""
    found = []
    with MirrorServer(site) as mirror:
        port = int(mirror.url.rsplit(":", 1)[1])
        for url in urls:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", url.split("www.langson.gov.vn", 1)[1], headers={"Host": "www.langson.gov.vn"})
            response = connection.getresponse()
            body = response.read()
            if response.status == 200:
                found.append((url, response.getheader("Content-Type"), body))
            connection.close()
    return found


def listing_pages(site) -> list[tuple[str, str, bytes]]:
    """The first page of every section of the profile, as the portal serves it."""
    return portal_files(site, [PORTAL + path for _, path in get_profile("tpls").section_paths])


def media_of(record: dict) -> list[str]:
    return [image["src"] for image in record["images"]] + [a["href"] for a in record["attachments"]]


def write_captures(path, captures) -> None:
    """(uri, WARC-Date, body[, content type]) responses, as a crawler writes them."""
    write_warc(path, [(uri, [("Content-Type", content_type[0] if content_type else "text/html; charset=utf-8")],
                       body, date) for uri, date, body, *content_type in captures])


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    folder = tmp_path_factory.mktemp("webarchive")
    site = MirrorSite(articles=12, seed=5)
    pages = portal_pages(site)
    nodes = sorted(pages)
    missing, twice = nodes[:3], nodes[3:6]  # never captured; captured with two texts
    captured = [n for n in nodes if n not in missing]
    records = []
    for node_id in captured:
        url, body, _ = pages[node_id]
        records.append((url, CAPTURED_AT, body))
        if node_id in twice:
            title = site.truth(node_id, PORTAL)["title"]
            records.append((url, EARLIER_AT, body.replace(title.encode(), f"{title} (dự thảo)".encode())))
    records += [(url, LISTINGS_AT, body, kind) for url, kind, body in listing_pages(site)]
    media = portal_files(site, sorted({url for n in captured for url in media_of(site.truth(n, PORTAL))}))
    records += [(url, CAPTURED_AT, body, kind) for url, kind, body in media]
    write_captures(folder / "captures.warc.gz", records)
    with Pywb(folder / "pywb", [folder / "captures.warc.gz"]) as pywb:
        yield {"site": site, "pywb": pywb, "cdx": pywb.base_url + "cdx", "captured": captured,
               "missing": [pages[n][0] for n in missing], "twice": twice,
               "media": {url: body for url, _, body in media}}


def test_the_articles_captured_are_archived_dated_by_their_capture(collection, tmp_path):
    db = tmp_path / "archive.db"
    result = run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--db", db)
    n = len(collection["captured"])
    assert f"{n} articles ({n} new, 0 updated, 0 unchanged)" in result.stdout, result.stdout
    assert "captures fetched" in result.stderr and " left" in result.stderr  # progress, time left
    site = collection["site"]
    records = archived_records(db)
    assert sorted(records) == sorted(collection["captured"])
    for node_id, record in records.items():
        assert record == site.truth(node_id, PORTAL)
    conn = sqlite3.connect(db)
    assert set(conn.execute("select first_archived_at, last_archived_at from articles")) == {
        ("2019-06-01T08:00:00+00:00", "2019-06-01T08:00:00+00:00")}
    assert scalar(db, "select count(*) from revisions") == n
    # Their images and documents, from their captures.
    stored = dict(conn.execute("select url, path from media where sha256 is not null"))
    assert sorted(stored) == sorted(collection["media"]) and len(stored) > 10
    for url, body in collection["media"].items():
        assert (tmp_path / "media" / stored[url]).read_bytes() == body
    # The WARC names what was fetched (the replay URL) and the original capture.
    from warcio.archiveiterator import ArchiveIterator

    sources = {}
    for path in (tmp_path / "warcs").glob("*.warc.gz"):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    sources[record.rec_headers.get_header("WARC-Source-URI")] = (
                        record.rec_headers.get_header("WARC-Target-URI"),
                        record.rec_headers.get_header("WARC-Source-Date"))
    for node_id in collection["captured"]:
        url = site.article_url(node_id, PORTAL)
        assert sources[url] == (f"{collection['pywb'].base_url}20190601080000id_/{url}", "2019-06-01T08:00:00Z")
    # Those WARCs alone rebuild the same articles, dated the same.
    rebuilt = tmp_path / "rebuilt.db"
    run_cli("reextract", "--db", db, "--into", rebuilt)
    assert archived_records(rebuilt) == records
    assert set(sqlite3.connect(rebuilt).execute("select archived_at from revisions")) == {
        ("2019-06-01T08:00:00+00:00",)}


def test_all_captures_become_revisions_in_capture_order(collection, tmp_path):
    db = tmp_path / "archive.db"
    run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--all-captures", "--db", db)
    site = collection["site"]
    for node_id, record in archived_records(db).items():
        assert record == site.truth(node_id, PORTAL)  # the newest text is the current one
    conn = sqlite3.connect(db)
    for node_id in collection["twice"]:
        rows = conn.execute("""select r.revision, r.archived_at, json_extract(r.record, '$.title')
                               from revisions r join articles a on a.id = r.article_id
                               where a.node_id = ? order by r.revision""", [node_id]).fetchall()
        assert [(rev, at) for rev, at, _ in rows] == [(1, "2017-03-04T05:06:07+00:00"),
                                                      (2, "2019-06-01T08:00:00+00:00")]
        assert rows[0][2].endswith("(dự thảo)") and not rows[1][2].endswith("(dự thảo)")
    assert scalar(db, "select count(*) from revisions") == len(collection["captured"]) + len(collection["twice"])


def test_all_captures_after_a_newest_only_run_fetches_only_the_earlier_texts(collection, tmp_path):
    db = tmp_path / "archive.db"
    run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--db", db)
    result = run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--all-captures", "--db", db)
    assert ", 3 fetched: 3 articles (0 new, 3 updated, 0 unchanged)" in result.stdout, result.stdout
    site = collection["site"]
    for node_id, record in archived_records(db).items():
        assert record == site.truth(node_id, PORTAL)  # the older texts never become current
    earlier = sqlite3.connect(db).execute(
        "select archived_at, json_extract(record, '$.title') from revisions where archived_at < '2018'").fetchall()
    assert len(earlier) == 3 and all(title.endswith("(dự thảo)") for _, title in earlier)


def test_years_limit_the_captures(collection, tmp_path):
    db = tmp_path / "archive.db"
    result = run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--to", "2018", "--db", db)
    assert "3 articles (3 new" in result.stdout, result.stdout
    conn = sqlite3.connect(db)
    assert sorted(r[0] for r in conn.execute("select node_id from articles")) == sorted(collection["twice"])
    assert all(title.endswith("(dự thảo)") for (title,) in conn.execute("select title from articles"))
    assert set(conn.execute("select archived_at from revisions")) == {("2017-03-04T05:06:07+00:00",)}


def archive_state(db) -> list:
    conn = sqlite3.connect(db)
    return [conn.execute("select id, key, content_hash, revision, first_archived_at, last_archived_at "
                         "from articles order by id").fetchall(),
            conn.execute("select article_id, revision, content_hash, archived_at from revisions "
                         "order by article_id, revision").fetchall(),
            conn.execute("select site, path, url from article_links order by path").fetchall(),
            conn.execute("select url, kind, status, fetched_at, sha256 from pages order by url, fetched_at").fetchall(),
            conn.execute("select url, sha256, path from media order by url").fetchall(),
            conn.execute("select url, timestamp, digest, outcome from web_captures order by url, timestamp").fetchall()]


def fetched_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from web_captures where fetched_at is not null").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet


def test_kill_9_three_times_then_the_same_command_equals_an_uninterrupted_run(collection, tmp_path):
    args = ["wayback", "--cdx", collection["cdx"], "--rate", "8", "--all-captures"]
    whole = tmp_path / "whole" / "archive.db"
    whole.parent.mkdir()
    run_cli(*args, "--db", whole)
    killed = tmp_path / "killed" / "archive.db"
    killed.parent.mkdir()
    total = scalar(whole, "select count(*) from web_captures where fetched_at is not null")
    rng = random.Random(14)
    # Three random moments: after a random number of captures, plus a random fraction of the next one.
    targets = sorted(rng.sample(range(1, total - 1), 3))
    fetched_before_kill = []
    for target in targets:
        process = subprocess.Popen([*LSARCHIVE, *args, "--db", str(killed)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while fetched_count(killed) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 1 / 8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        fetched_before_kill.append(fetched_count(killed))
    # Each kill landed part-way through the fetches, later than the one before.
    assert fetched_before_kill == sorted(set(fetched_before_kill)) and fetched_before_kill[-1] < total, \
        (targets, fetched_before_kill, total)
    result = run_cli(*args, "--db", killed)
    assert archive_state(killed) == archive_state(whole)
    assert "0 errors" in result.stdout
    again = run_cli(*args, "--db", killed)
    assert ", 0 fetched:" in again.stdout, again.stdout


def test_coverage_lists_exactly_the_articles_never_captured(collection, tmp_path):
    db = tmp_path / "archive.db"
    run_cli("wayback", "--cdx", collection["cdx"], "--rate", "50", "--db", db)
    report = json.loads(run_cli("coverage", "--json", "--db", db).stdout)
    assert report["missing"] == sorted(collection["missing"])
    assert sum(row["archived"] for row in report["by_section_year"]) == len(collection["captured"])
    assert sum(row["known"] for row in report["by_section_year"]) == 12
    text = run_cli("coverage", "--db", db).stdout
    assert "3 known article URL(s) never archived" in text
    # The same in Datasette's views.
    from lsarchive.datasette import make_datasette

    from .helpers import DatasetteClient as Client

    client = Client(make_datasette(db))
    try:
        missing = client.json("/archive/missing_articles.json?_shape=array&_sort=url")
        by_year = client.json("/archive/coverage_by_section_year.json?_shape=array")
    finally:
        client.close()
    assert [row["url"] for row in missing] == sorted(collection["missing"])
    assert sum(row["known"] for row in by_year) == 12 and sum(row["missing"] for row in by_year) == 3


class FaultProxy:
    """Forwards to pywb, logging when each request arrived; answers 429 and 503
    with Retry-After to chosen requests."""

    def __init__(self, upstream: str, faults: dict[int, tuple[int, str]]):
        self.upstream, self.faults, self.log = upstream.rstrip("/"), faults, []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                proxy.log.append((time.monotonic(), self.path))
                fault = proxy.faults.get(len(proxy.log))
                if fault:
                    self.send_response(fault[0])
                    self.send_header("Retry-After", fault[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    with urllib.request.urlopen(proxy.upstream + self.path, timeout=30) as response:
                        status, headers, body = response.status, response.headers, response.read()
                except urllib.error.HTTPError as exc:
                    status, headers, body = exc.code, exc.headers, exc.read()
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_busy_answers_are_waited_out_and_the_rate_is_never_exceeded(collection, tmp_path):
    pywb = collection["pywb"]
    rate = 2.0
    with FaultProxy(f"http://127.0.0.1:{pywb.port}", {3: (429, "3"), 6: (503, "2")}) as proxy:
        db = tmp_path / "archive.db"
        result = run_cli("wayback", "--cdx", f"{proxy.url}/{pywb.collection}/cdx", "--rate", str(rate),
                         "--db", db)
    n = len(collection["captured"])
    assert f"{n} articles ({n} new" in result.stdout and "2 busy answers waited out" in result.stdout
    times = [at for at, _ in proxy.log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # Never faster than --rate: between any two requests of the log, at least as much time as
    # --rate asks for, less 0.25 s of jitter in when a request reaches the proxy (the client
    # spaces the starts; the proxy logs arrivals, late by its threads' scheduling).
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            assert times[j] - times[i] >= (j - i) / rate - 0.25, (i, j, gaps)
    assert min(gaps) > 0.25, gaps
    assert gaps[2] >= 3 - 0.05 and gaps[5] >= 2 - 0.05, gaps  # Retry-After honoured
    fetched = int(result.stdout.split(" fetched:")[0].rsplit(" ", 1)[-1])
    assert len(proxy.log) == 1 + fetched + 2  # the CDX query, each capture once, the two refused


def test_no_network_is_one_line_and_exit_3(tmp_path):
    result = run_cli("wayback", "--cdx", f"http://127.0.0.1:{free_port()}/coll/cdx", "--db",
                     tmp_path / "archive.db", check=False)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "cannot reach the web archive" in result.stderr
