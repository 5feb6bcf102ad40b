"""The province in one archive: four sub-sites of the mirror on one host, crawled
in one run with one politeness budget for the host, each article equal to the
mirror's truth and read by its own site's profile (the generic Drupal 7 one
for the sub-site no profile names); one WARC of all four sites imported in one
run; the city's pages before and after its redesign read by their own profile
version."""

from __future__ import annotations

import io
import json
import sqlite3
import urllib.request
from datetime import date

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.warc import warc_files

from .helpers import run_cli

pytestmark = pytest.mark.slow

PROVINCE = "http://www.langson.gov.vn/"
UNKNOWN_THEME = PROVINCE + "bqlkkt/"
SITES = {"tpls": "tpls", "sotttt": "sotttt", "caoloc": "caoloc", "bqlkkt": "drupal7"}
"""Each sub-site of the mirror and the profile that must read it."""
DELAY = 0.2


def archived(db) -> dict[tuple[str, int], tuple[dict, dict]]:
    """(site, node id) → (latest record, how it was made) of every article."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        """select a.site, a.node_id, r.record, r.extraction from articles a
           join revisions r on r.article_id = a.id and r.revision = a.revision""").fetchall()
    conn.close()
    return {(site, node_id): (json.loads(record), json.loads(extraction or "{}"))
            for site, node_id, record, extraction in rows}


def truth(site: MirrorSite, name: str, node_id: int) -> dict:
    if name == "tpls":
        return site.truth(node_id, PROVINCE + "tpls/")
    return site.truth(node_id, PROVINCE.rstrip("/"), subsite=name)


def expected_articles(site: MirrorSite) -> set[tuple[str, int]]:
    return {(name, node_id) for name in SITES for node_id in site.node_ids(name)}


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """One polite crawl of the whole province through the mirror (its HTTP proxy)."""
    folder = tmp_path_factory.mktemp("province")
    site = MirrorSite(articles=30, sibling_articles=12)
    db = folder / "archive.db"
    with MirrorServer(site) as mirror:
        # A first crawl at full speed makes the mirror render every page, so
        # that while the polite crawl runs it only answers from memory: the
        # arrival times it logs are then not delayed by its own rendering.
        (folder / "warm-up").mkdir()
        run_cli("crawl", "--proxy", mirror.proxy_url, "--site", "all", "--site", UNKNOWN_THEME,
                "--db", folder / "warm-up" / "archive.db", "--no-progress", "--no-media", check=False)
        before = len(mirror.access_log)
        result = run_cli("crawl", "--proxy", mirror.proxy_url, "--site", "all", "--site", UNKNOWN_THEME,
                         "--db", db, "--no-progress", "--no-media", "--politeness", "on",
                         "--crawl-delay", str(DELAY), check=False)
        log = mirror.access_log[before:]
    return {"site": site, "db": db, "result": result, "log": log, "folder": folder}


def test_one_crawl_archives_every_article_of_every_site_as_the_mirror_has_it(province):
    assert province["result"].returncode == 0, province["result"].stderr
    site, records = province["site"], archived(province["db"])
    assert set(records) == expected_articles(site)
    for (name, node_id), (record, _) in records.items():
        assert record == truth(site, name, node_id), (name, node_id)


def test_each_article_says_which_profile_read_it_and_only_the_unknown_theme_fell_back(province):
    for (name, node_id), (_, extraction) in archived(province["db"]).items():
        assert extraction["profile"] == SITES[name], (name, node_id)
        if name != "bqlkkt":
            assert extraction["fallbacks"] == [], (name, node_id, extraction)
    fell_back = {field for (name, _), (_, extraction) in archived(province["db"]).items() if name == "bqlkkt"
                 for field in extraction["fallbacks"]}
    assert {"body", "date"} <= fell_back


def test_no_two_requests_to_the_host_came_closer_than_the_crawl_delay(province):
    log = province["log"]
    paths = {entry["path"].split("/")[1] for entry in log}
    assert {"robots.txt", *SITES} <= paths  # one host, four sites, one politeness budget
    times = [entry["arrived_at"] for entry in log]
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert len(gaps) > 100
    # As the server saw them (the crawl keeps a margin for the jitter between
    # sending and arriving: LSARCHIVE_DELAY_MARGIN).
    assert min(gaps) >= DELAY, (sorted(gaps)[:12], [(round(g,3), log[i]["path"], log[i+1]["path"]) for i, g in enumerate(gaps) if g < DELAY])


def test_one_warc_of_the_whole_province_is_imported_in_one_run(province, tmp_path):
    warcs = warc_files(province["folder"] / "warcs")
    assert warcs
    db = tmp_path / "imported.db"
    result = run_cli("import-warc", *warcs, "--db", db)
    assert result.returncode == 0, result.stderr
    imported, crawled = archived(db), archived(province["db"])
    assert set(imported) == set(crawled)
    for key, (record, extraction) in imported.items():
        assert record == crawled[key][0]
        assert (extraction["profile"], extraction["profile_version"]) == \
               (crawled[key][1]["profile"], crawled[key][1]["profile_version"])


def fetch_through(mirror: MirrorServer, url: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": mirror.proxy_url}))
    with opener.open(url, timeout=30) as response:
        return response.read()


def write_captures(path, captures) -> None:
    """(uri, WARC-Date, body) responses, as a crawler of that day wrote them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        for uri, when, body in captures:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": when}))


def test_the_city_before_and_after_its_redesign_is_read_by_its_own_profile_version(tmp_path):
    """Captures of 2018 (the old theme) and of 2025 (today's), in one WARC."""
    before = MirrorSite(articles=30, as_of=date(2018, 6, 30))
    today = MirrorSite(articles=30)
    old_ids = before.node_ids()
    new_ids = [node_id for node_id in today.node_ids() if node_id not in old_ids]
    assert old_ids and new_ids
    captures = []
    with MirrorServer(before) as mirror:
        for node_id in old_ids:
            url = before.article_url(node_id, PROVINCE + "tpls/")
            captures.append((url, "2018-07-01T03:00:00Z", fetch_through(mirror, url)))
    with MirrorServer(today) as mirror:
        for node_id in new_ids:
            url = today.article_url(node_id, PROVINCE + "tpls/")
            captures.append((url, "2025-05-01T03:00:00Z", fetch_through(mirror, url)))
    assert b"news-detail" in captures[0][2] and b"news-detail" not in captures[-1][2]  # two themes
    write_captures(tmp_path / "city.warc.gz", captures)
    db = tmp_path / "archive.db"
    result = run_cli("import-warc", tmp_path / "city.warc.gz", "--db", db)
    assert result.returncode == 0, result.stderr
    records = archived(db)
    assert set(records) == {("tpls", node_id) for node_id in old_ids + new_ids}
    for (_, node_id), (record, extraction) in records.items():
        old = node_id in old_ids
        assert record == (before if old else today).truth(node_id, PROVINCE + "tpls/")
        assert extraction["profile_version"] == ("2012" if old else "2019")
        assert extraction["fallbacks"] == []
