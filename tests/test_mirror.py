"""The offline mirror: a real server on 127.0.0.1, fetched with urllib.

What the crawler and the extractor rely on: robots.txt, the home page and
menu, listings and their pager, article pages at node and alias URLs,
media bytes, conditional requests, determinism, edits and additions, the
seed article and its truth, and the variety of editor markup.
"""

from __future__ import annotations

import collections
import http.client
import io
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
import urllib.robotparser
import zipfile
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from lsarchive.mirror import ALL_KINDS, MirrorServer, MirrorSite
from lsarchive.normalize import clean_text

ARTICLES = 240


# --------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> MirrorSite:
    return MirrorSite(articles=ARTICLES, seed=1)


@pytest.fixture(scope="module")
def server(site):
    with MirrorServer(site, host="127.0.0.1", port=0) as running:
        yield running


class Fetched:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def html(self):
        return lxml.html.fromstring(self.body)


def fetch(url: str, headers: dict | None = None, method: str = "GET") -> Fetched:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Fetched(response.status, response.headers, response.read(), response.url)
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read(), url)


def text_of(element) -> str:
    return clean_text(element.text_content())


# --------------------------------------------------------------------------
# robots.txt, home page, menu
# --------------------------------------------------------------------------


def test_robots_txt_is_drupal_default_with_subsite_rules(server):
    response = fetch(server.url + "/robots.txt")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.body.decode()
    for line in ("User-agent: *", "Crawl-delay: 10", "Disallow: /admin/", "Disallow: /user/login/",
                 "Disallow: /search/", "Disallow: /node/add/", "Disallow: /?q=admin/",
                 "Disallow: /tpls/user/", "Disallow: /tpls/search/", "Disallow: /tpls/admin/"):
        assert line in text.splitlines(), line
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    assert robots.crawl_delay("*") == 10
    assert not robots.can_fetch("*", server.base_url + "user/login")
    assert not robots.can_fetch("*", server.base_url + "search/node")
    assert robots.can_fetch("*", server.base_url + "tin-tuc-su-kien?page=1")
    assert robots.can_fetch("*", server.base_url + "node/1469")


def test_home_page_links_every_section_and_the_blocks(server, site):
    home = fetch(server.base_url + "home")
    assert home.status == 200
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    page = home.html
    menu = {a.get("href") for a in page.cssselect("#navigation a")}
    for name, path in site.sections():
        assert f"/tpls/{path}" in menu, name
    assert [name for name, _ in site.sections()][:6] == [
        "Tin tức - Sự kiện", "Chính trị", "Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Thông báo"]
    tabs = [a.get("href") for a in page.cssselect("div.quicktabs-wrapper ul.quicktabs-tabs a")]
    assert tabs and all("?quicktabs_4=" in href for href in tabs)
    assert len(page.cssselect(".quicktabs-tabpage li a")) >= len(site.sections())
    headings = [text_of(h) for h in page.cssselect(".sidebar h2")]
    assert headings == ["Bản đồ hành chính", "CÁC SỞ, NGÀNH, HUYỆN, TP", "Liên kết Websites"]
    siblings = [a.get("href") for a in page.cssselect("#block-block-8 a")]
    assert "/sonoivu" in siblings and not any(h.startswith("/tpls/") for h in siblings)
    footer = text_of(page.cssselect("#footer")[0])
    assert "Số 30 Đường Lê Lợi, phường Vĩnh Trại" in footer
    assert "Phát triển bởi Trung tâm Công nghệ Thông tin và Truyền thông" in footer
    assert page.cssselect('a[href="/tpls/user/login"]')
    assert page.cssselect('form[action="/tpls/search/node"]')
    # the front page, a tab and the directory without its slash are the same site
    assert fetch(server.base_url).body == home.body
    tab = fetch(server.base_url + "home?quicktabs_4=2").html
    assert tab.cssselect("#quicktabs-tabpage-4-2")[0].get("class") == "quicktabs-tabpage"
    redirected = fetch(server.url + "/tpls")
    assert redirected.status == 200 and redirected.url == server.base_url


def test_quicktabs_list_the_newest_articles_of_each_section(server, site):
    page = fetch(server.base_url + "home").html
    for number, (_, path) in enumerate(site.sections()):
        links = page.cssselect(f"#quicktabs-tabpage-4-{number} li a")
        first = links[0].get("href")
        newest = max((n for n in site.node_ids() if site.model(n).section_path == path))
        assert first == site.article_path(newest)


# --------------------------------------------------------------------------
# Listings and the pager
# --------------------------------------------------------------------------


def walk_section(server, path: str) -> tuple[list[str], list[int]]:
    """Follow pager-next from the section's first page; teaser hrefs and rows per page."""
    url = server.base_url + path
    hrefs, rows_per_page, seen = [], [], set()
    while url:
        assert url not in seen
        seen.add(url)
        page = fetch(url)
        assert page.status == 200
        doc = page.html
        assert doc.cssselect("div.breadcrumb a")
        rows = doc.cssselect("div.view-content > div.views-row")
        rows_per_page.append(len(rows))
        for row in rows:
            links = row.cssselect("div.views-field-title a")
            assert len(links) == 1 and row.cssselect("img") and row.cssselect(".views-field-created")
            hrefs.append(links[0].get("href"))
        next_link = doc.cssselect("ul.pager li.pager-next a")
        url = urljoin(url, next_link[0].get("href")) if next_link else None
        if next_link:
            assert doc.cssselect("ul.pager li.pager-last a") and doc.cssselect("ul.pager li.pager-current")
    return hrefs, rows_per_page


def test_listings_list_every_article_once_newest_first(server, site):
    alias_to_node = {site.article_path(n): n for n in site.node_ids()}
    listed = []
    for _, path in site.sections():
        hrefs, rows = walk_section(server, path)
        assert all(count == 15 for count in rows[:-1]) and 1 <= rows[-1] <= 15
        nodes = [alias_to_node[href] for href in hrefs]
        dates = [site.model(n).published for n in nodes]
        assert dates == sorted(dates, reverse=True), path
        assert all(site.model(n).section_path == path for n in nodes)
        listed += nodes
    assert sorted(listed) == sorted(site.node_ids())
    assert len(listed) == site.article_count == ARTICLES


def test_page_past_the_end_is_an_empty_listing(server):
    page = fetch(server.base_url + "kinh-te?page=999")
    assert page.status == 200
    assert not page.html.cssselect("div.views-row") and not page.html.cssselect("ul.pager")
    assert fetch(server.base_url + "kinh-te?page=abc").body == fetch(server.base_url + "kinh-te").body


# --------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------


def test_node_url_and_alias_serve_the_same_page(server, site):
    for node_id in site.node_ids()[::37]:
        by_node = fetch(f"{server.base_url}node/{node_id}")
        by_alias = fetch(server.url + site.article_path(node_id))
        assert by_node.status == by_alias.status == 200
        assert by_node.body == by_alias.body
        page = by_node.html
        assert page.cssselect('link[rel="canonical"]')[0].get("href") == site.article_path(node_id)
        assert page.cssselect('link[rel="shortlink"]')[0].get("href") == f"/tpls/node/{node_id}"
        assert f"page-node-{node_id}" in page.cssselect("body")[0].get("class")
        assert page.cssselect(f"div#node-{node_id} div.field-name-body div.field-item")
        assert text_of(page.cssselect("h1#page-title")[0]) == site.truth(node_id)["title"]


def test_aliases_are_unique_pathauto_slugs(site):
    aliases = [site.article_path(n) for n in site.node_ids()]
    assert len(set(aliases)) == len(aliases)
    assert all(re.fullmatch(r"/tpls/tin-tuc/[a-z0-9-]+", alias) for alias in aliases)


def test_unknown_pages_are_drupal_404s(server, site):
    for path in ("/tpls/khong-co-trang-nay", "/tpls/node/1", "/tpls/node/999999999",
                 "/tpls/sites/tpls/files/anh%20tin%20bai/2017/01/999999-1.jpg", "/sonoivu", "/"):
        response = fetch(server.url + path)
        assert response.status == 404, path
        if response.headers["Content-Type"].startswith("text/html"):
            assert "Không tìm thấy trang" in response.body.decode()
    assert fetch(server.base_url + "admin/content").status == 403


def test_dates_and_node_ids_increase_together(site):
    node_ids = site.node_ids()
    dates = [site.model(n).published for n in node_ids]
    assert node_ids == sorted(node_ids) and len(set(node_ids)) == len(node_ids)
    assert all(a < b for a, b in zip(dates, dates[1:]))
    assert any(b - a > 1 for a, b in zip(node_ids, node_ids[1:]))  # other content types fill the gaps
    assert dates[0].year == 2012 and dates[-1].year == 2025 and dates[-1].month <= 7


# --------------------------------------------------------------------------
# Media
# --------------------------------------------------------------------------


def test_images_are_real_jpegs(server, site):
    sources = [p.src for n in site.node_ids()[:30] for p in site.model(n).pictures][:10]
    assert sources
    for src in sources:
        response = fetch(server.url + src)
        assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
        assert response.body[:2] == b"\xff\xd8" and response.body[-2:] == b"\xff\xd9"
        assert response.headers["ETag"] and response.headers["Last-Modified"]
    listing = fetch(server.base_url + "tin-tuc-su-kien").html
    thumbnail = listing.cssselect("div.views-row img")[0].get("src")
    assert fetch(server.url + thumbnail).body[:2] == b"\xff\xd8"


def test_photos_are_photo_sized_and_the_same_for_the_same_seed(server, site):
    from PIL import Image, ImageStat

    sources = [p.src for n in site.node_ids()[:30] for p in site.model(n).pictures][:8]
    bodies = [fetch(server.url + src).body for src in sources]
    for body in bodies:
        image = Image.open(io.BytesIO(body))
        assert image.format == "JPEG" and 600 <= image.width <= 900 and 400 <= image.height <= 600
        assert 20_000 <= len(body) <= 120_000, len(body)  # tens of kilobytes, as the portal's
        assert max(ImageStat.Stat(image.convert("L")).stddev) > 20  # a scene, not a flat grey
    assert len(set(bodies)) == len(bodies)
    from lsarchive.mirror import media

    media._photo.cache_clear()  # drawn again from the seed, not read back from the cache
    assert media.photo(unquote(sources[0]), site.seed) == bodies[0]


def test_documents_are_real_files(server, site):
    documents = {}
    for node_id in site.node_ids():
        for document in site.model(node_id).documents:
            documents.setdefault(document.href.rsplit(".", 1)[-1], document.href)
    assert set(documents) == {"pdf", "doc", "docx", "xlsx"}
    assert fetch(server.url + documents["pdf"]).body.startswith(b"%PDF-")
    assert fetch(server.url + documents["doc"]).body.startswith(b"{\\rtf1")
    for kind in ("docx", "xlsx"):
        response = fetch(server.url + documents[kind])
        assert "openxmlformats" in response.headers["Content-Type"]
        assert zipfile.ZipFile(io.BytesIO(response.body)).testzip() is None


# --------------------------------------------------------------------------
# HTTP: conditional requests, HEAD, keep-alive
# --------------------------------------------------------------------------


def test_conditional_get_returns_304(server, site):
    url = f"{server.base_url}node/{site.node_ids()[5]}"
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified and first.headers["Date"]
    again = fetch(url, {"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 02 Jan 2012 00:00:00 GMT"}).status == 200
    assert fetch(url, {"If-None-Match": '"other"', "If-Modified-Since": modified}).status == 200


def test_head_and_keep_alive(server, site):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    before = server.requests
    connection.request("HEAD", "/tpls/home")
    head = connection.getresponse()
    assert head.status == 200 and head.read() == b""
    length = int(head.headers["Content-Length"])
    for _ in range(3):  # the same connection serves several requests
        connection.request("GET", "/tpls/home")
        response = connection.getresponse()
        assert len(response.read()) == length
    connection.close()
    assert server.requests == before + 4
    assert ("HEAD", "/tpls/home", 200) in server.request_log


# --------------------------------------------------------------------------
# Determinism, edits, additions
# --------------------------------------------------------------------------

PAGES = ("/tpls/home", "/tpls/chinh-tri?page=1", "/tpls/thong-bao", "/robots.txt")


def test_same_arguments_same_bytes_other_seed_other_site():
    one, two, other = MirrorSite(120, seed=4), MirrorSite(120, seed=4), MirrorSite(120, seed=5)
    paths = list(PAGES) + [f"/tpls/node/{n}" for n in one.node_ids()[::10]]
    paths += [p.src for n in one.node_ids()[:20] for p in one.model(n).pictures][:3]
    for path in paths:
        assert one.handle("GET", path, {}) == two.handle("GET", path, {}), path
    assert one.handle("GET", "/tpls/home", {})[2] != other.handle("GET", "/tpls/home", {})[2]
    assert one.truth(one.node_ids()[3]) != other.truth(other.node_ids()[3])


def test_edits_and_additions(server):
    base = MirrorSite(150, seed=1)
    changed = MirrorSite(150, seed=1, edits=6, additions=9)
    added, edited = changed.added_node_ids(), changed.edited_node_ids()
    assert changed.article_count == 159 and len(added) == 9 and len(edited) == 6
    assert changed.node_ids() == base.node_ids() + added
    assert base.seed_node_id not in edited and set(edited) <= set(base.node_ids())
    for node_id in base.node_ids():
        old = base.handle("GET", f"/tpls/node/{node_id}", {})
        new = changed.handle("GET", f"/tpls/node/{node_id}", {})
        assert base.article_path(node_id) == changed.article_path(node_id)
        if node_id not in edited:
            assert old == new
            continue
        old_headers, new_headers = dict(old[1]), dict(new[1])
        assert old[2] != new[2] and old_headers["ETag"] != new_headers["ETag"]
        assert changed.model(node_id).changed > base.model(node_id).changed
        new_body, old_body = changed.truth(node_id)["body"], base.truth(node_id)["body"]
        updates = [text for text in new_body if text.startswith("Cập nhật")]
        assert len(updates) == 1 and [text for text in new_body if text not in updates] == old_body
        assert {k: v for k, v in changed.truth(node_id).items() if k != "body"} == \
               {k: v for k, v in base.truth(node_id).items() if k != "body"}
        # an incremental crawler's revalidation sees the change
        validators = {"If-Modified-Since": old_headers["Last-Modified"]}
        assert changed.handle("GET", f"/tpls/node/{node_id}", validators)[0] == 200
        assert base.handle("GET", f"/tpls/node/{node_id}", validators)[0] == 304
    newest_old = max(base.model(n).published for n in base.node_ids())
    assert all(changed.model(n).published > newest_old for n in added)
    for node_id in added[-3:]:
        section = changed.model(node_id).section_path
        first_page = lxml.html.fromstring(changed.handle("GET", f"/tpls/{section}", {})[2])
        top = [a.get("href") for a in first_page.cssselect(".views-row .views-field-title a")]
        assert top[0] == changed.article_path(max(n for n in added if changed.model(n).section_path == section))
        assert changed.article_path(node_id) in top


# --------------------------------------------------------------------------
# The seed article
# --------------------------------------------------------------------------

SEED_TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"
SEED_CAPTIONS = [
    "Biểu diễn văn nghệ chào mừng hội nghị",
    "Đồng chí Nông Bích Diệp , Phó Chỉ tịch Ủy ban nhân dân thành phố báo cáo tóm tắt kết quả công tác thi đua, khen thưởng năm 2016",
    "Đồng chí Bùi Văn Côi, Tỉnh ủy viên, Phó bí thư Thành ủy Lạng Sơn, Chủ tịch ủy ban nhân thành phố tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2016",
    "Đại diện các cụm ký giao ước thi đua năm 2017",
    "Đồng chí Bùi Văn Côi, Chủ tịch Ủy ban nhân thành phố phát biểu kết luận hội nghị",
]


def test_seed_article_page_has_the_seed_text(server, site):
    page = fetch(f"{server.base_url}node/{site.seed_node_id}")
    text = clean_text(lxml.html.fromstring(page.body).text_content())
    from lsarchive.mirror.seed_article import LINES

    for line in LINES:
        if clean_text(line):
            assert clean_text(line) in text
    for fragment in ("Phó Chỉ tịch", "chủ để", "Ủy ban nhân thành phố", "Thứ Ba, 10/01/2017 - 20:04",
                     "Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS", "Bản đồ hành chính", "Liên kết Websites"):
        assert fragment in text
    assert b"\xc2\xa0" not in page.body  # no-break spaces are written &nbsp; as CKEditor does
    assert b"property=\"dc:date" not in page.body  # a plain date line, no machine value


def test_seed_article_truth_matches_the_contract_example(server, site):
    record = site.truth(site.seed_node_id)
    assert record["url"] == server.base_url + "tin-tuc/thanh-pho-lang-son-trien-khai-cong-tac-thi-dua-khen-thuong-nam-2017"
    assert record["node_id"] == site.seed_node_id
    assert record["section"] == "Tin tức - Sự kiện"
    assert record["title"] == SEED_TITLE
    assert record["published_at"] == "2017-01-10T20:04:00+07:00"
    assert record["published_text"] == "Thứ Ba, 10/01/2017 - 20:04"
    assert record["body"][0].startswith("Ngày 09/1/2017, Ủy ban nhân thành phố Lạng Sơn (TPLS) đã tổ chức hội nghị")
    assert len(record["body"]) == 5 and SEED_TITLE not in record["body"]
    assert [image["caption"] for image in record["images"]] == SEED_CAPTIONS
    assert all(image["alt"] is None for image in record["images"])
    assert record["images"][0]["src"] == server.base_url + "sites/tpls/files/anh%20tin%20bai/thi-dua-1.jpg"
    assert record["credits"] == [{"name": "Thanh Huệ", "roles": ["text", "photo"]},
                                 {"name": "Đài TT-TH TPLS", "roles": ["unit"]}]
    assert record["credit_lines"] == ["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"]
    assert record["attachments"] == []
    assert list(record) == ["url", "node_id", "section", "title", "published_at", "published_text",
                            "body", "images", "credits", "credit_lines", "attachments"]


@pytest.mark.parametrize("articles", [1, 2, 3, 50])
def test_seed_article_is_always_there(articles):
    small = MirrorSite(articles, seed=3)
    assert small.article_count == articles
    assert small.truth(small.seed_node_id)["title"] == SEED_TITLE
    dates = [small.model(n).published for n in small.node_ids()]
    assert all(a < b for a, b in zip(dates, dates[1:]))


# --------------------------------------------------------------------------
# Markup variety, and truth agreeing with the page
# --------------------------------------------------------------------------


def test_bodies_use_every_markup_caption_and_credit_kind():
    varied = MirrorSite(300, seed=1)
    counts = collections.Counter(kind for n in varied.node_ids() for kind in varied.markup_kinds(n))
    assert set(counts) == ALL_KINDS
    for axis in ("structure", "text", "caption", "credit", "date"):
        assert sum(1 for kind in ALL_KINDS if kind.startswith(axis + ":")) >= 4


def _body_text(page) -> str:
    item = page.cssselect("div.field-name-body div.field-item")[0]
    return unicodedata.normalize("NFC", clean_text(item.text_content()))


def test_truth_text_is_on_the_page(site):
    """Every text of the truth can be read back from the page (a cheap consistency check)."""
    for node_id in site.node_ids():
        record = site.truth(node_id, base_url="http://127.0.0.1/tpls/")
        page = lxml.html.fromstring(site.handle("GET", f"/tpls/node/{node_id}", {})[2])
        body = _body_text(page)
        whole = clean_text(page.text_content())
        squeezed = body.replace(" ", "")
        for text in record["body"] + record["credit_lines"] + [i["caption"] for i in record["images"] if i["caption"]]:
            assert text.replace(" ", "") in squeezed, (node_id, text)
        assert record["published_text"] in whole
        images = page.cssselect("div.field-item img")
        assert [urljoin("http://127.0.0.1/tpls/", img.get("src")) for img in images] == \
               [image["src"] for image in record["images"]]
        hrefs = {urljoin("http://127.0.0.1/tpls/", a.get("href")) for a in page.cssselect("div.field-item a")}
        assert {a["href"] for a in record["attachments"]} <= hrefs
        crumbs = page.cssselect("div.breadcrumb a")
        assert record["section"] == (text_of(crumbs[-1]) if crumbs else None)


def test_truth_urls_follow_the_server(server, site):
    node_id = site.node_ids()[10]
    record = site.truth(node_id)
    assert record["url"] == urljoin(server.base_url, site.article_path(node_id))
    assert urlsplit(record["url"]).port == server.port
    assert site.truth(node_id, base_url="http://www.langson.gov.vn/tpls/")["url"].startswith(
        "http://www.langson.gov.vn/tpls/tin-tuc/")


# --------------------------------------------------------------------------
# Scale and the command
# --------------------------------------------------------------------------


def test_a_large_site_starts_quickly():
    started = time.perf_counter()
    large = MirrorSite(20000, seed=1)
    assert time.perf_counter() - started < 5
    last = large.node_ids()[-1]
    assert large.handle("GET", f"/tpls/node/{last}", {})[0] == 200


def test_run_mirror_serves_until_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "lsarchive.mirror", "--articles", "30", "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stderr.readline()
        match = re.fullmatch(r"Serving 30 articles at (http://127\.0\.0\.1:\d+/tpls/) \(Ctrl-C to stop\)\n", line)
        assert match, line
        assert fetch(match.group(1) + "home").status == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
