"""Hostile servers: the mirror's fault mode, and what a crawl does against it.

Every crawl here runs the real `lsarchive crawl` against the real mirror on
127.0.0.1, with faults injected by `MirrorSite(faults=SPEC)`; the fault
plan's truth says which articles must be archived and which failures
must be recorded.
"""

from __future__ import annotations

import gzip
import http.client
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from lsarchive.crawl.guards import PagerBounds, in_site, retry_after_seconds
from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.mirror.faults import FAULTS, FaultSpecError, gzip_bomb

from .helpers import LSARCHIVE, REPO, archived_records, run_cli, scalar

# The stages the archive records; the extractor's finer ones (title, body,
# metadata...) are all "extract".
COARSE_STAGES = {"fetch", "size", "offsite", "decode", "store"}


def coarse(stage: str) -> str:
    return stage if stage in COARSE_STAGES else "extract"


def recorded_failures(db: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return {(url, coarse(stage)) for url, stage in conn.execute("select url, stage from extraction_errors")}
    finally:
        conn.close()


class TimedMirrorServer(MirrorServer):
    """The real server, also noting when each request came."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.times: list[tuple[float, str]] = []

    def _record(self, method, path, status, *rest):
        super()._record(method, path, status, *rest)
        self.times.append((time.monotonic(), path))


def crawl_measured(base_url: str, db: Path, *args: str, timeout: float = 600) -> tuple[subprocess.CompletedProcess, int]:
    """`lsarchive crawl` in a child process: its result and its peak RSS in KB.

    The peak is the child's own VmHWM, read while it runs: the rusage of a
    child counts the RSS of the (large) test process it was forked from.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    peak = 0
    with open(db.parent / "out.txt", "w+") as out, open(db.parent / "err.txt", "w+") as err:
        process = subprocess.Popen([*LSARCHIVE, "crawl", "--site-url", base_url, "--db", str(db),
                                    "--no-progress", *args], stdout=out, stderr=err, cwd=REPO, env=env)
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
            peak = max(peak, _high_water_kb(process.pid))
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())
    return result, peak


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except (OSError, ValueError):  # the process has just ended
        return 0


# The fault plan ------------------------------------------------------------------
def test_fault_plan_is_deterministic_and_its_truth_adds_up():
    one = MirrorSite(120, seed=3, faults="all")
    two = MirrorSite(120, seed=3, faults="all")
    other = MirrorSite(120, seed=3, faults="all,seed=9")
    assert one.faults.kinds() == two.faults.kinds() != other.faults.kinds()
    assert sorted(one.faults.kinds().values()) == sorted(FAULTS)
    reachable, damaged, unreachable = (one.faults.reachable_node_ids(), one.faults.damaged_node_ids(),
                                       one.faults.unreachable_node_ids())
    assert reachable | damaged | unreachable == set(one.node_ids())
    assert not (reachable & damaged) and not (reachable & unreachable) and damaged == set()  # bad bytes and a wrong charset decode to the published text
    permanent = [kind for kind, fault in FAULTS.items() if fault.stage]
    assert len(one.faults.expected_failures()) == len(unreachable) == len(permanent)


def test_fault_plan_on_a_listing_page_cuts_off_the_pages_after_it():
    site = MirrorSite(120, seed=3)
    plan = MirrorSite(120, seed=3, faults="500@tin-tuc-su-kien?page=1").faults
    listed_later = {site.catalog.node_id(i) for i in site.catalog.section_indices["tin-tuc-su-kien"][::-1][15:]}
    assert plan.unreachable_node_ids() == listed_later
    assert {stage for _, stage in plan.expected_failures()} == {"fetch"}


@pytest.mark.parametrize("spec", ["bogus", "500:0", "500:x", "stall=601", "offsite=ftp://x/", "endless-pager@nope",
                                  "404:500"])
def test_bad_fault_specs_are_refused(spec):
    with pytest.raises(FaultSpecError):
        MirrorSite(120, seed=3, faults=spec)


def test_mirror_command_refuses_a_bad_spec_in_one_line():
    result = run_cli("mirror", "--port", "0", "--faults", "500,teapot", check=False, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "teapot" in result.stderr
    assert "Traceback" not in result.stderr


def _get(port: int, path: str, timeout: float = 5.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    try:
        return response, response.read()
    finally:
        conn.close()


def test_each_fault_answers_like_a_broken_server():
    site = MirrorSite(120, seed=3, faults="all,stall=1,oversized=3,bomb=30,retry_after=2")
    at = {kind: "/tpls/" + path for path, kind in site.faults.kinds().items()}
    with MirrorServer(site) as server:
        port = server.port
        response, _ = _get(port, at["500"])
        assert response.status == 500
        response, _ = _get(port, at["503"])
        assert (response.status, response.getheader("Retry-After")) == (503, "2")
        assert _get(port, at["503"])[0].status == 200  # transient: works on retry
        assert [_get(port, at["503-long"])[0].getheader("Retry-After") for _ in range(2)] == ["3600"] * 2
        assert _get(port, at["429"])[0].status == 429 and _get(port, at["429"])[0].status == 200
        assert _get(port, at["404"])[0].status == 404
        for kind in ("reset", "truncated"):
            with pytest.raises((http.client.IncompleteRead, ConnectionError)):
                _get(port, at[kind])
        with pytest.raises(http.client.RemoteDisconnected):
            _get(port, at["stall"])
        response, _ = _get(port, at["redirect-loop"])
        assert response.status == 302 and response.getheader("Location").endswith("?loop=1")
        response, _ = _get(port, response.getheader("Location"))
        assert response.status == 302 and response.getheader("Location") == at["redirect-loop"]
        response, _ = _get(port, at["offsite-redirect"])
        assert response.getheader("Location").startswith("http://evil.example.test/tpls/")
        assert len(_get(port, at["oversized"])[1]) >= 3_000_000
        response, body = _get(port, at["gzip-bomb"])
        assert response.getheader("Content-Encoding") == "gzip" and len(body) < 100_000
        assert len(gzip.decompress(body)) > 30_000_000
        body = _get(port, at["bad-bytes"])[1]
        assert body.count(b"\xff") == 1
        assert "iso-8859-1" in _get(port, at["wrong-charset"])[0].getheader("Content-Type")
        response, body = _get(port, at["soft-404"])
        assert response.status == 200 and "Không tìm thấy trang".encode() in body
        section = at["endless-pager"]
        pages = len(site.faults._listing_pages(section.removeprefix("/tpls/")))
        deep = _get(port, f"{section}?page={pages + 5}")[1]
        assert f"?page={pages + 6}".encode() in deep and b"/trang-" in deep
        section = at["offsite-pager"]
        pages = len(site.faults._listing_pages(section.removeprefix("/tpls/")))
        assert b'href="http://evil.example.test/tpls/' in _get(port, f"{section}?page={pages - 1}")[1]


def test_gzip_bomb_is_a_valid_gzip_of_the_announced_size():
    assert len(gzip.decompress(gzip_bomb(4))) == 4_000_000 + len(b"<html><body>")
    assert len(gzip_bomb(1024)) < 1_200_000


# The crawler's guards ------------------------------------------------------------------
def test_site_scope_is_host_port_and_base_path():
    base = "http://127.0.0.1:8000/tpls/"
    assert in_site("http://127.0.0.1:8000/tpls/node/1", base)
    assert in_site("http://127.0.0.1:8000/robots.txt", base) and in_site("http://127.0.0.1:8000/tpls", base)
    for url in ("http://127.0.0.1:8001/tpls/node/1", "http://evil.example.test/tpls/node/1",
                "http://127.0.0.1:8000/other/", "http://127.0.0.1:8000/tplsx/", "ftp://127.0.0.1:8000/tpls/",
                "http://127.0.0.1:99999/tpls/", "http://127.0.0.1.evil.test:8000/tpls/"):
        assert not in_site(url, base), url


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds(b"2") == 2.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_pager_bounds_stop_at_the_documented_maximum():
    bounds = PagerBounds(max_pages=50, stale_pages=3)
    page = 0
    while bounds.why_stop("s", page, page + 1, None, [f"s/{page}-{n}" for n in range(15)]) is None:
        page += 1
    assert page == 49


def test_pager_bounds_stop_on_pages_that_list_nothing_new():
    bounds = PagerBounds(max_pages=1000, stale_pages=3)
    assert bounds.why_stop("s", 0, 1, None, ["a", "b"]) is None
    assert bounds.why_stop("s", 1, 2, None, ["a"]) is None
    assert bounds.why_stop("s", 2, 3, None, ["b"]) is None
    assert "no new article" in bounds.why_stop("s", 3, 4, None, [])


# Crawls ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bystander():
    """Another site on another loopback port: where off-site links and redirects lead."""
    with MirrorServer(MirrorSite(20, seed=2)) as server:
        yield server


@pytest.mark.slow
def test_crawl_meeting_every_fault(tmp_path, bystander):
    spec = f"all,stall=5,offsite={bystander.base_url}"
    site = MirrorSite(120, seed=3, faults=spec)
    db = tmp_path / "archive.db"
    with MirrorServer(site) as server:
        result, peak_kb = crawl_measured(server.base_url, db, "--timeout", "3")
        requests = list(server.request_log)
    plan = site.faults
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr

    # Every reachable article, exactly as published; nothing of the others.
    records = archived_records(db)
    for node_id in plan.reachable_node_ids():
        assert records.get(node_id) == site.truth(node_id, server.base_url), f"node {node_id}"
    assert not set(records) & plan.unreachable_node_ids()
    for node_id in plan.damaged_node_ids():  # served whole, with wrong bytes: kept, or recorded why not
        url = site.article_url(node_id, server.base_url)
        assert node_id in records or (url, "decode") in recorded_failures(db)

    # Every failure the faults cause, with its stage, and no other. A "page
    # not found" served with 200 is no article: counted as such, not an error.
    expected = plan.expected_failures(server.base_url)
    soft_404s = {url for url, stage in expected if stage == "extract"}
    assert soft_404s and recorded_failures(db) == {(url, stage) for url, stage in expected if url not in soft_404s}
    not_articles = dict(sqlite3.connect(db).execute("select url, not_article from pages where not_article is not null"))
    assert all(not_articles.get(url, "").startswith("error page") for url in soft_404s), not_articles
    assert f"{len(expected) - len(soft_404s)} errors" in result.stdout

    # Nothing outside the site: not the other port, not another host, not outside /tpls/.
    assert bystander.request_log == []
    assert all(path.startswith("/tpls/") or path == "/robots.txt" for _, path, _ in requests)
    assert not [path for _, path, _ in requests if "/trang-" in path]  # the endless pager's fakes
    urls = [u for (u,) in sqlite3.connect(db).execute("select url from pages")]
    assert all(u.startswith(server.base_url) or u == server.url + "/robots.txt" for u in urls)
    assert "requests outside the site refused" in result.stdout
    assert "offsite 1" in result.stdout and "size 2" in result.stdout

    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"
    print(f"fault crawl: peak RSS {peak_kb / 1024:.0f} MB, {len(requests)} requests")

    stats = run_cli("stats", "--db", db).stdout
    assert "pages could not be archived" in stats and "offsite" in stats and "size" in stats


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["endless-pager", "endless-pager,nolast", "offsite-pager,nolast",
                                  "offsite-pager,nolast,offsite={bystander}"])
def test_endless_pager_ends_by_itself(tmp_path, bystander, spec):
    section = "van-hoa-xa-hoi"
    kind, _, options = spec.partition(",")
    site = MirrorSite(120, seed=3, faults=f"{kind}@{section},{options.format(bystander=bystander.base_url)}")
    db = tmp_path / "archive.db"
    with MirrorServer(site) as server:
        result, _ = crawl_measured(server.base_url, db, timeout=60)  # killed (and failing) past 60 s
        requests = [path for _, path, _ in server.request_log]
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "crawl finished" in result.stdout
    assert sorted(archived_records(db)) == sorted(site.node_ids())
    real_pages = len(site.faults._listing_pages(section))
    listing_pages = [p for p in requests if p.startswith(f"/tpls/{section}?page=") or p == f"/tpls/{section}"]
    if "nolast" in spec and kind == "endless-pager":  # stopped once 3 pages listed only failing URLs
        assert real_pages < len(listing_pages) <= real_pages + 6
    else:
        assert len(listing_pages) == real_pages
    assert bystander.request_log == []
    assert scalar(db, "select count(*) from pages where url not like ?", server.url + "/%") == 0


@pytest.mark.slow
def test_retry_after_is_waited_for_up_to_its_cap(tmp_path):
    plain = MirrorSite(40, seed=5)
    quick, slow_one, limited = (plain.catalog.aliases[i] for i in (3, 7, 11))
    site = MirrorSite(40, seed=5, faults=f"503@{quick},503-long@{slow_one},429@{limited},retry_after=2")
    db = tmp_path / "archive.db"
    with TimedMirrorServer(site) as server:
        result, _ = crawl_measured(server.base_url, db, timeout=300)
        times = list(server.times)
    assert result.returncode == 1, result.stderr[-3000:]
    records = archived_records(db)
    for alias in (quick, limited):  # retried after Retry-After: 2, and archived
        asked = [when for when, path in times if path == "/tpls/" + alias]
        assert len(asked) == 2 and asked[1] - asked[0] >= 2.0, asked
        node_id = site.catalog.node_id(site.catalog.index_of_alias(alias))
        assert records[node_id] == site.truth(node_id, server.base_url)
    # Retry-After: 3600 is over the 120 s cap: given up at once, recorded with why.
    assert [path for _, path in times].count("/tpls/" + slow_one) == 1
    reason = scalar(db, "select reason from extraction_errors where url = ?", server.base_url + slow_one)
    assert "Retry-After 3600 s" in reason and "cap" in reason


@pytest.mark.slow
def test_no_remote_control_no_telnet_and_nothing_left_after_kill_9(tmp_path):
    state = tmp_path / "state"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(state), "PYTHONUNBUFFERED": "1"}
    site = MirrorSite(60, seed=7, faults="stall:5,stall=30")
    with MirrorServer(site) as server:
        process = subprocess.Popen([*LSARCHIVE, "crawl", "--site-url", server.base_url, "--db",
                                    str(tmp_path / "a.db"), "--no-progress", "-v"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
        deadline = time.monotonic() + 120
        while server.requests < 20 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        _, log = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert "Enabled extensions" in log
    extensions = log.split("Enabled extensions", 1)[1].split("]", 1)[0]
    assert "RemoteControl" not in extensions and "TelnetConsole" not in extensions
    left = [p for p in tmp_path.rglob("*") if "job_files" in str(p)]
    assert left == []


def test_a_page_that_cannot_be_stored_is_recorded_without_its_body(tmp_path, seed, caplog):
    from scrapy.utils.test import get_crawler

    from lsarchive.crawl.items import ARTICLE, PageItem
    from lsarchive.crawl.pipelines import ArchivePipeline
    from spiders.tpls import TplsSpider

    db = tmp_path / "archive.db"
    crawler = get_crawler(TplsSpider, {"LSARCHIVE_DB": str(db), "LSARCHIVE_MEDIA_DIR": str(tmp_path / "media"),
                                       "LSARCHIVE_SITE_URL": "http://www.langson.gov.vn/tpls/"})
    crawler.spider = TplsSpider.from_crawler(crawler)
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider(crawler.spider)
    article = seed.article()
    article.node_id = 2 ** 64  # no SQLite integer holds it
    body = "<p>" + "nội dung " * 5000 + "</p>"
    item = PageItem(url=article.url, status=200, kind=ARTICLE, body=body.encode(), article=article,
                    fetched_at="2026-01-01T00:00:00+00:00")
    summary = pipeline.process_item(item, crawler.spider)
    pipeline.spider_closed(crawler.spider, "finished")
    assert summary["error"][0] == "store"
    assert scalar(db, "select stage from extraction_errors where url = ?", article.url) == "store"
    assert scalar(db, "select errors from crawl_runs") == 1
    assert crawler.stats.get_value("lsarchive/errors/store") == 1
    assert "nội dung" not in caplog.text and article.url in caplog.text
