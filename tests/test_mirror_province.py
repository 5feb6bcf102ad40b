"""The mirror serves the province: the city portal and three sibling
sub-sites on one host, each in its own Drupal 7 theme, and the city's older
theme when asked for a day before the 2019 redesign (`as_of`).

Each test reads pages the way a crawler would (a real server on 127.0.0.1,
urllib, lxml) and checks them against the mirror's truth records.
"""

from __future__ import annotations

import json

import re
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.mirror.gold import THEMES, write_theme
from lsarchive.mirror.pages import PORTAL_URL

from .test_mirror import fetch, text_of

ARTICLES = 240
GOLD = Path(__file__).parent / "gold"
SIBLINGS = ("sotttt", "caoloc", "bqlkkt")
# What each theme's article page is read by: title, date line, body wrapper.
SELECTORS = {
    "tpls-2019": ("h1#page-title", "div.submitted, div.field-name-field-ngay-dang, p.submitted",
                  "div.field-name-body div.field-item"),
    "tpls-2012": ("div.news-detail h2.news-title", "div.news-detail div.news-date", "div.news-content"),
    "sotttt-2014": ("h1#page-title", "article.node p.submitted time", "div.field-name-field-noi-dung div.field-item"),
    "caoloc-2016": ("h1.title-detail", "div.post-date", "div.content-detail div.field-name-body div.field-item"),
    "bqlkkt-2009": ("div.chitiet-tin h3.tieude-tin", "div.chitiet-tin div.thoigian", "div.chitiet-tin div.noidung"),
}
# Listing teaser links and the section's title, per theme.
TEASERS = {
    "sotttt-2014": "article.teaser h3.teaser__title a",
    "caoloc-2016": "ul.list-news h4.news-title a",
    "bqlkkt-2009": "table.danhsach-tin a.tieude",
    "tpls-2012": "table.news-list a.news-link",
}


@pytest.fixture(scope="module")
def site() -> MirrorSite:
    return MirrorSite(articles=ARTICLES, seed=1)


@pytest.fixture(scope="module")
def server(site):
    with MirrorServer(site, port=0) as running:
        yield running


@pytest.fixture(scope="module")
def old_site() -> MirrorSite:
    return MirrorSite(articles=ARTICLES, seed=1, as_of=date(2018, 6, 30))


def page_of(site: MirrorSite, path: str):
    resource = site.resource(path)
    return resource.status, lxml.html.fromstring(resource.body)


def theme_of(site: MirrorSite, name: str) -> str:
    return next(s["theme"] for s in site.subsites() if s["name"] == name)


# --------------------------------------------------------------------------


def test_the_province_has_four_subsites_with_their_own_sizes(site):
    subsites = {s["name"]: s for s in site.subsites()}
    assert list(subsites) == ["tpls", *SIBLINGS]
    assert subsites["tpls"]["article_count"] == ARTICLES
    for name in SIBLINGS:
        assert subsites[name]["base_path"] == f"/{name}/"
        assert subsites[name]["article_count"] == max(12, ARTICLES // 8) == len(site.node_ids(name))
    assert len({s["theme"] for s in subsites.values()}) == 4
    assert MirrorSite(40, seed=1, sibling_articles=5).subsites()[2]["article_count"] == 5


def test_every_subsite_serves_home_listings_articles_and_404s(server, site):
    """Fetched with the portal's Host header, as a crawler going through the mirror sends it."""
    host = {"Host": "www.langson.gov.vn"}
    for name in SIBLINGS:
        sibling = site.siblings[name]
        home = fetch(f"{server.url}/{name}/", host)
        assert home.status == 200 and home.headers["X-Generator"].startswith("Drupal 7")
        assert fetch(f"{server.url}/{name}/home", host).body == home.body
        links = {a.get("href") for a in home.html.cssselect("a")}
        for _, path in site.sections(name):
            assert f"/{name}/{path}" in links
        node_id = site.node_ids(name)[0]
        article = fetch(f"{server.url}{site.article_path(node_id, name)}", host)
        assert article.status == 200
        assert fetch(f"{server.url}/{name}/node/{node_id}", host).body == article.body
        assert article.html.cssselect(f'link[rel="shortlink"][href="/{name}/node/{node_id}"]')
        for missing in (f"/{name}/khong-co-trang-nay", f"/{name}/node/1", f"/{name}/sites/{name}/files/x/1-1.jpg"):
            response = fetch(server.url + missing, host)
            assert response.status == 404 and "Không tìm thấy trang" in response.body.decode(), missing
        assert fetch(f"{server.url}/{name}/admin/content", host).status == 403
        redirect = urllib.request.Request(f"{server.url}/{name}", method="HEAD")
        assert urllib.request.urlopen(redirect).url.endswith(f"/{name}/")
        rss = fetch(f"{server.url}/{name}/rss.xml", host)
        assert rss.status == 200 and b"<rss" in rss.body and sibling.spec.title.encode() in rss.body


def test_the_city_home_links_the_three_siblings(site):
    _, home = page_of(site, "/tpls/")
    siblings = [a.get("href") for a in home.cssselect("#block-block-8 a")]
    assert {"/sotttt/", "/caoloc/", "/bqlkkt/"} <= set(siblings)


@pytest.mark.parametrize("name", SIBLINGS)
def test_listings_and_their_pager_reach_every_article_once(site, name):

    found: list[str] = []
    for _, section in site.sections(name):
        path = f"/{name}/{section}"
        seen_pages = set()
        while path and path not in seen_pages:
            seen_pages.add(path)
            status, page = page_of(site, path)
            assert status == 200
            found += [a.get("href") for a in page.cssselect(TEASERS[theme_of(site, name)])]
            for image in page.cssselect("img"):  # thumbnails (image style derivatives), logo
                assert site.resource(image.get("src")).status == 200, image.get("src")
            following = page.cssselect("ul.pager li.pager-next a")
            path = following[0].get("href") if following else None
    assert sorted(found) == sorted(site.article_path(n, name) for n in site.node_ids(name))


def test_node_id_spaces_are_independent(site):
    city = set(site.node_ids())
    shared = city & set(site.node_ids("sotttt")) & set(site.node_ids("caoloc"))
    assert shared, "node ids of the sub-sites should collide, as on the real multisite"
    node_id = min(shared)
    titles = {site.truth(node_id)["title"]} | {site.truth(node_id, subsite=n)["title"] for n in ("sotttt", "caoloc")}
    assert len(titles) == 3
    only_city = max(city - set(site.node_ids("bqlkkt")))
    assert site.resource(f"/bqlkkt/node/{only_city}").status == 404
    with pytest.raises(KeyError):
        site.truth(only_city, subsite="bqlkkt")


@pytest.mark.parametrize("name", ["tpls", *SIBLINGS])
def test_theme_selectors_read_the_truth_on_every_article(site, old_site, name):
    for current in (site, old_site) if name == "tpls" else (site,):
        theme = theme_of(current, name)
        title_css, date_css, body_css = SELECTORS[theme]
        for node_id in current.node_ids(name):
            truth = current.truth(node_id, PORTAL_URL, subsite=name)
            status, page = page_of(current, f"/{name}/node/{node_id}")
            assert status == 200
            assert text_of(page.cssselect(title_css)[0]) == truth["title"]
            assert truth["published_text"] in text_of(page.cssselect(date_css)[0])
            body = text_of(page.cssselect(body_css)[0])
            assert all(paragraph in body for paragraph in truth["body"]), (theme, node_id)
            captions = [image["caption"] for image in truth["images"] if image["caption"]]
            assert all(text in body for text in captions + truth["credit_lines"]), (theme, node_id)
            for image in truth["images"]:
                assert urlsplit(image["src"]).path.startswith(f"/{name}/sites/{name}/files/")


def test_the_unknown_theme_has_no_drupal_node_or_field_wrappers(site):
    for node_id in site.node_ids("bqlkkt")[:10]:
        _, page = page_of(site, f"/bqlkkt/node/{node_id}")
        assert not page.cssselect("div.node, article.node, .field-name-body, h1, [property='dc:date']")
        assert page.cssselect("div.breadcrumb a")[-1].text == site.truth(node_id, subsite="bqlkkt")["section"]


def test_truth_and_files_exist_for_every_article_of_every_site(server, site):
    for name in ["tpls", *SIBLINGS]:
        for node_id in site.node_ids(name):
            record = site.truth(node_id, subsite=name)
            assert record["url"] == server.url + site.article_path(node_id, name)
            assert record["node_id"] == node_id and record["title"] and record["body"]
            assert datetime.fromisoformat(record["published_at"])
    sample = [(n, s) for s in SIBLINGS for n in site.node_ids(s)[:8]]
    for node_id, name in sample:
        record = site.truth(node_id, subsite=name)
        for url in [i["src"] for i in record["images"]] + [a["href"] for a in record["attachments"]]:
            assert fetch(url).status == 200, url


def test_as_of_hides_later_articles_everywhere(old_site):
    full = MirrorSite(articles=ARTICLES, seed=1)
    day_end = datetime(2018, 6, 30, 23, 59, 59)
    for name in ["tpls", *SIBLINGS]:
        every = {full.article_path(n, name) for n in full.node_ids(name)}
        visible = {old_site.article_path(n, name) for n in old_site.node_ids(name)}
        assert visible and visible < every
        for node_id in old_site.node_ids(name):
            assert datetime.fromisoformat(old_site.truth(node_id, subsite=name)["published_at"][:19]) <= day_end
        sections = old_site.sections(name)
        linked = set()
        for path in [f"/{name}/"] + [f"/{name}/{section}" for _, section in sections]:
            linked |= {link[2] for link in lxml.html.fromstring(old_site.resource(path).body).iterlinks()}
        feed = old_site.resource(f"/{name}/rss.xml").body.decode()
        linked |= {urlsplit(url).path for url in re.findall(r"<link>([^<]+)</link>", feed)}
        assert visible & linked and not (linked & every) - visible, name
        hidden = sorted(every - visible)
        assert old_site.resource(hidden[0]).status == 404
    assert len(old_site.node_ids()) < len(full.node_ids())


def test_as_of_before_2019_switches_the_city_to_its_old_theme(old_site):
    assert theme_of(old_site, "tpls") == "tpls-2012"
    node_id = old_site.node_ids()[-1]
    _, page = page_of(old_site, f"/tpls/node/{node_id}")
    assert page.cssselect("table#khung div.news-detail h2.news-title")
    assert not page.cssselect("h1#page-title, div.node, div.submitted")
    truth = old_site.truth(node_id)
    assert truth["published_at"].endswith(":00+07:00")
    assert text_of(page.cssselect("div.news-date")[0]) == "Cập nhật: " + truth["published_text"]
    _, listing = page_of(old_site, "/tpls/tin-tuc-su-kien")
    assert listing.cssselect("table.news-list a.news-link") and listing.cssselect("ul.pager")
    assert page_of(old_site, "/tpls/khong-co")[0] == 404
    new = MirrorSite(articles=ARTICLES, seed=1, as_of=date(2019, 1, 1))
    assert theme_of(new, "tpls") == "tpls-2019"
    assert page_of(new, f"/tpls/node/{node_id}")[1].cssselect("h1#page-title")


def test_robots_txt_is_one_per_host_with_drupal_rules_for_every_subsite(site):
    robots = site.resource("/robots.txt").body.decode()
    for name in ["tpls", *SIBLINGS]:
        for rule in ("admin/", "search/", "user/", "?q="):
            assert f"Disallow: /{name}/{rule}" in robots


def test_access_log_has_arrival_times_and_subsite_paths(server):
    start = time.monotonic()
    before = len(server.access_log)
    for path in ("/tpls/", "/sotttt/", "/caoloc/khong-co", "/bqlkkt/"):
        fetch(server.url + path, {"Host": "www.langson.gov.vn"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))
    assert opener.open("http://www.langson.gov.vn/caoloc/", timeout=10).status == 200
    log = server.access_log[before:]
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/tpls/", 200), ("GET", "/sotttt/", 200), ("GET", "/caoloc/khong-co", 404),
        ("GET", "/bqlkkt/", 200), ("GET", "/caoloc/", 200)]
    times = [e["arrived_at"] for e in log]
    assert start <= times[0] and times == sorted(times) and times[-1] <= time.monotonic()


def from_mirror(path) -> bool:
    record = path.with_suffix(".json")
    origin = json.loads(record.read_text(encoding="utf-8")).get("origin", {})
    return str(origin.get("source", "")).startswith("lsarchive mirror")


@pytest.mark.parametrize("name,folder,as_of", THEMES)
def test_the_committed_gold_pages_are_what_the_mirror_serves(tmp_path, name, folder, as_of):
    site = MirrorSite(ARTICLES, seed=1, as_of=as_of, base_url=PORTAL_URL)
    written = write_theme(tmp_path, site, name, folder, as_of, 6, f"lsarchive mirror --articles {ARTICLES} --seed 1")
    assert len(written) == 6
    # The folder may also hold gold pages written by hand (their origin says
    # so); every page the mirror wrote must be there, and nothing it no longer writes.
    committed = sorted(p.name for p in (GOLD / folder).iterdir() if from_mirror(p))
    assert committed == sorted(p.name for p in (tmp_path / folder).iterdir())
    for file_name in committed:
        assert (GOLD / folder / file_name).read_bytes() == (tmp_path / folder / file_name).read_bytes(), file_name


def test_the_mirror_loads_no_profile_crawler_extractor_or_store():
    code = ("import sys, lsarchive.mirror, lsarchive.mirror.gold; "
            "site = lsarchive.mirror.MirrorSite(20); site.resource('/bqlkkt/'); site.truth(site.node_ids('sotttt')[0], subsite='sotttt'); "
            "print(sorted(m for m in sys.modules if m.startswith(('lsarchive.profiles', 'lsarchive.crawl', "
            "'lsarchive.extract', 'lsarchive.store'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_commands_take_as_of_and_write_gold(tmp_path):
    from lsarchive.cli import main

    result = CliRunner().invoke(main, ["mirror", "--as-of", "2018-13-01"])
    assert result.exit_code == 2 and "--as-of" in result.output
    help_text = subprocess.run([sys.executable, "-m", "lsarchive.mirror", "gold", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert "tests/gold/tpls/2012" in help_text
