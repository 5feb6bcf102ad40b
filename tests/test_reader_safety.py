"""A reader of a hostile archive in a real browser: no script of the archive runs.

Two articles carry the vectors: one extracted by the real extractor from a
page full of them (what a crawl of a hostile site stores), one written into
the archive as it stands (what an older version or a foreign tool may have
stored: `javascript:` attachments and canonical). Real `lsarchive serve`,
Debian's Chromium through Playwright (see test_browser.py). Every vector
would set window.__xss or open a dialog; the test loads each article page,
then clicks every link of it, one page load each.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from lsarchive.extract import extract_article
from lsarchive.record import Article, Attachment, Image
from lsarchive.store.archive import Archive

from .helpers import free_port
from .test_browser import CHROMIUM_ARGS, CHROMIUM, require_chromium

pytestmark = pytest.mark.slow

GOLD_SEED = Path(__file__).parent / "gold" / "tpls" / "2019" / "01-seed-clean-paragraphs"
SCRIPT = "window.__xss=1;alert(1)"
VECTORS = f"""
<p><a href="javascript:{SCRIPT}//ke-hoach.pdf">Kế hoạch (javascript)</a>
<a href="JaVaScRiPt&colon;{SCRIPT}">mixed case</a>
<a href=" &#106;avascript:{SCRIPT}">entity</a>
<a href="vbscript:msgbox(1)//bao-cao.doc">Báo cáo (vbscript)</a>
<a href="data:text/html,&lt;script&gt;{SCRIPT}&lt;/script&gt;//x.pdf">data link</a>
<a href="/tpls/files/that.pdf" onclick="{SCRIPT}">Tài liệu thật</a></p>
<p onmouseover="{SCRIPT}">Đoạn văn có trình xử lý sự kiện.</p>
<img src="x.jpg" onerror="{SCRIPT}">
<svg onload="{SCRIPT}"><circle r="1"/></svg>
<iframe srcdoc="&lt;script&gt;parent.{SCRIPT}&lt;/script&gt;"></iframe>
<script>{SCRIPT}</script>
<p style="background:url(javascript:{SCRIPT})">CSS</p>
<form action="javascript:{SCRIPT}"><button formaction="javascript:{SCRIPT}">Gửi</button></form>
<math><a xlink:href="javascript:{SCRIPT}">math</a></math>
<p>&lt;img src=x onerror={SCRIPT}&gt; written as text</p>
"""


def hostile_page() -> tuple[bytes, str]:
    record = json.loads(GOLD_SEED.with_suffix(".json").read_text(encoding="utf-8"))
    page = GOLD_SEED.with_suffix(".html").read_text(encoding="utf-8")
    page = page.replace('rel="canonical" href="/tpls/', f'rel="canonical" href="javascript:{SCRIPT}//', 1)
    first = page.index("Ngày 09/1/2017")
    page = page[:first] + VECTORS + page[first:]
    return page.encode("utf-8"), record["page_url"]


def stored_as_is() -> Article:
    """Fields a reader's page must never turn into running script."""
    return Article(
        url=f"javascript:{SCRIPT}", node_id=990001, section=f"<script>{SCRIPT}</script>",
        title=f'Tin "><svg onload={SCRIPT}> thử nghiệm', published_at="2020-05-05T10:00:00+07:00",
        published_text="05/05/2020", body=[f"<img src=x onerror={SCRIPT}>", "Đoạn thứ hai."],
        images=[Image(src=f"javascript:{SCRIPT}", alt=f'"><script>{SCRIPT}</script>', caption="Ảnh")],
        attachments=[Attachment(href=f"javascript:{SCRIPT}//x.pdf", text="Tải về (javascript)"),
                     Attachment(href="data:text/html,<script>window.__xss=1</script>", text="data"),
                     Attachment(href="vbscript:msgbox(1)", text="vbscript")],
        body_html=VECTORS, body_html_clean=VECTORS,
    )


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory) -> tuple[Path, list[int]]:
    html, url = hostile_page()
    extracted = extract_article(html, url)
    path = tmp_path_factory.mktemp("hostile") / "archive.db"
    with Archive(path) as archive:
        ids = [archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")[0]
               for article in (extracted, stored_as_is())]
    return path, ids


@pytest.fixture(scope="module")
def served(hostile_archive, tmp_path_factory):
    path, ids = hostile_archive
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "lsarchive.cli", "serve", "--db", str(path), "--port", str(port)],
            stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(log.read_text())
                time.sleep(0.2)
        yield base, ids
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page whose dialogs and CSP violations are recorded."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        # Nothing but the served archive may be fetched (original images included).
        self.page.route("**/*", lambda route: route.continue_()
                        if route.request.url.startswith(base) else route.abort())
        self.page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));")

    def ran_script(self) -> bool:
        try:
            return bool(self.page.evaluate("window.__xss")) or bool(self.dialogs)
        except Exception:  # a page being replaced: ask again once it is there
            self.page.wait_for_load_state()
            return bool(self.page.evaluate("window.__xss")) or bool(self.dialogs)

    def violations(self) -> list[str]:
        """Scripts the policy refused (a stored javascript: image URL, refused
        as an image, is not one)."""
        return [v for v in self.page.evaluate("window.__violations || []") if v.startswith("script-src")]

    def close(self) -> None:
        self.context.close()


def test_the_hostile_record_is_stored_without_script_urls(hostile_archive):
    path, (extracted_id, _) = hostile_archive
    with Archive(path, readonly=True) as archive:
        row = archive.db.execute("select url from articles where id = ?", [extracted_id]).fetchone()
        hrefs = [r[0] for r in archive.db.execute(
            "select href from attachments where article_id = ?", [extracted_id])]
        clean = archive.db.execute("select body_html_clean from article_html where article_id = ?",
                                   [extracted_id]).fetchone()[0]
    assert row[0].startswith("http://www.langson.gov.vn/")
    assert hrefs == ["http://www.langson.gov.vn/tpls/files/that.pdf"]
    tree = lxml.html.fragment_fromstring(clean, create_parent="div")
    for el in tree.iter():
        assert el.tag not in ("script", "svg", "iframe", "form", "button", "math", "style"), el.tag
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on") and name.lower() not in ("srcdoc", "formaction"), name
            if name in ("href", "src", "action", "xlink:href"):
                assert value.startswith("http://www.langson.gov.vn/"), (name, value)
            assert "javascript:" not in value.lower(), (name, value)


def test_no_script_runs_on_load_or_on_any_click(served, browser):
    base, ids = served
    clicked = 0
    for article_id in ids:
        url = f"{base}/archive/articles/{article_id}"
        watched = Watched(browser, base)
        try:
            response = watched.page.goto(url)
            assert response.status == 200
            assert "content-security-policy" in response.headers
            script_src = response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
            assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
            watched.page.wait_for_timeout(300)
            assert not watched.ran_script(), f"script ran on loading {url}"
            # Datasette's own inline scripts are allowed by hash: nothing of the page is refused.
            assert watched.violations() == []
            count = watched.page.locator("a").count()
            assert count > 10
        finally:
            watched.close()
        for index in range(count):
            watched = Watched(browser, base)
            try:
                watched.page.goto(url)
                link = watched.page.locator("a").nth(index)
                href = link.get_attribute("href") or ""
                if not link.is_visible():
                    link.evaluate("a => a.click()")  # inside a closed <details>
                else:
                    link.click(no_wait_after=True)
                watched.page.wait_for_timeout(150)
                assert not watched.ran_script(), f"script ran on clicking link {index} ({href}) of {url}"
                assert not href.lower().lstrip().startswith(("javascript:", "vbscript:", "data:")), href
                clicked += 1
            finally:
                watched.close()
    assert clicked > 20


def test_a_planted_script_url_is_refused_by_the_policy(served, browser):
    """Whatever a future template might let through: the policy itself
    refuses a javascript: link and an inline script in a served page."""
    base, ids = served
    watched = Watched(browser, base)
    try:
        watched.page.goto(f"{base}/archive/articles/{ids[1]}")
        watched.page.evaluate("""() => {
            const a = document.createElement('a');
            a.href = 'javascript:window.__xss=1'; a.id = 'planted'; a.textContent = 'planted';
            document.body.appendChild(a);
            const s = document.createElement('div');
            s.innerHTML = '<img src=x onerror="window.__xss=1">';
            document.body.appendChild(s);
        }""")
        watched.page.click("#planted", no_wait_after=True)
        watched.page.wait_for_timeout(300)
        assert not watched.ran_script()
        assert any("script-src" in v for v in watched.violations())
    finally:
        watched.close()


def test_datasette_pages_still_work_under_the_policy(served, browser):
    """The table page's own inline script (folding column descriptions into
    <details>) runs: allowed by its hash."""
    base, _ = served
    watched = Watched(browser, base)
    try:
        for path in ("/", "/archive", "/archive/articles", "/archive?sql=select+1", "/archive/attachments"):
            response = watched.page.goto(base + path)
            assert response.status == 200, path
            assert watched.violations() == [], path
        watched.page.goto(f"{base}/archive/articles")
        assert watched.page.locator("details > dl.column-descriptions").count() == 1
    finally:
        watched.close()
