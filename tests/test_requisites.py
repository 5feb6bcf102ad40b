"""Page requisites: the theme's CSS, scripts and images are captured once per
run, deduplicated across runs, and a replay shows the page as it looked."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from lsarchive.warc import PROFILE_IDENTICAL

from .test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_chromium
from .warc_tools import Pywb, assert_tools_accept

THEME = ("sites/tpls/files/css/css_portal.css", "misc/jquery.js?v=1.4.4", "sites/tpls/files/logo.png",
         "sites/tpls/files/bando.jpg")


@pytest.fixture(scope="module")
def two_runs(mirror_refresh):
    """conftest.mirror_refresh: a copy of the session's crawl of a 40-article
    mirror (it holds the seed article of CONTRACT.md), then a --refresh crawl into it."""
    return vars(mirror_refresh)


def records_of(paths) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in paths:
        for url, records in records_by_url(path).items():
            found.setdefault(url, []).extend(records)
    return found


def records_by_url(path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type in ("response", "revisit"):
                fields = dict(record.rec_headers.headers)
                found.setdefault(fields["WARC-Target-URI"], []).append(fields)
    return found


def test_theme_files_are_captured_once_per_run_and_deduplicated_across_runs(two_runs):
    first, second = two_runs["first"], two_runs["second"]
    assert len(second) == 1
    assert_tools_accept(*first, *second)
    earlier, later = records_of(first), records_of(second)
    for path in THEME:
        url = two_runs["base_url"] + path
        assert [r["WARC-Type"] for r in earlier[url]] == ["response"], url
        [revisit] = later[url]
        assert revisit["WARC-Type"] == "revisit" and revisit["WARC-Profile"] == PROFILE_IDENTICAL
        assert revisit["WARC-Refers-To"] == earlier[url][0]["WARC-Record-ID"]
    # The article body's images are media, fetched by the spider, not requisites.
    kinds = Counter(kind for (kind,) in sqlite3.connect(two_runs["db"]).execute(
        "select kind from pages where url like '%/anh%20tin%20bai/%' and url not like '%/styles/%'"))
    assert set(kinds) == {"media"}


@pytest.mark.slow
def test_the_seed_article_replays_with_its_theme(two_runs, tmp_path, seed):
    require_chromium()
    from playwright.sync_api import sync_playwright

    site, base_url = two_runs["site"], two_runs["base_url"]
    node_id = next(n for n in site.node_ids() if site.truth(n, base_url)["title"] == seed.title)
    url = site.article_url(node_id, base_url)
    with Pywb(tmp_path / "pywb", two_runs["files"]) as pywb, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            origin = f"http://127.0.0.1:{pywb.port}/"
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                       else route.abort())  # nothing but the replay may be contacted
            answer = page.goto(f"{pywb.base_url}2999/{url}", wait_until="load")
            assert answer.status == 200
            # pywb shows the capture in a frame under its banner, as a reader sees it.
            page.wait_for_selector("iframe")
            deadline = time.monotonic() + 30
            while not any("mp_/" in f.url for f in page.frames) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            frame = next(f for f in page.frames if "mp_/" in f.url)
            frame.wait_for_load_state("load")
            frame.wait_for_function("[...document.images].every(i => i.complete)")
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "replay-seed-article.png"), full_page=True)
            page = frame
            # The theme's stylesheet applies: body in 13 px Arial, hidden skip link taken out of the flow.
            assert page.evaluate("getComputedStyle(document.body).fontSize") == "13px"
            assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
            positions = page.evaluate("[...document.querySelectorAll('.element-invisible')]"
                                      ".map(e => getComputedStyle(e).position)")
            assert positions and set(positions) == {"absolute"}
            # The logo and the map from the theme, and the article's images, are there.
            loaded = page.evaluate("[...document.images].map(i => [i.getAttribute('src'), i.naturalWidth])")
            assert loaded and all(width > 0 for _, width in loaded), loaded
            assert any("logo.png" in src for src, _ in loaded) and any("thi-dua" in src for src, _ in loaded)
            assert seed.title in page.inner_text("h1")
            page = None
        finally:
            browser.close()
