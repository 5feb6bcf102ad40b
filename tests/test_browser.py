"""A reader in a real browser: search "thi dua" in Datasette, open the seed article.

Headless Chromium from Debian's `chromium` package (scripts/install-system-deps
installs it), driven by Playwright's Python client: no Playwright browser
download. `lsarchive serve` runs for real, on a free port. The test skips when
/usr/bin/chromium is missing on a developer's machine, and fails under CI=true.
"""

from __future__ import annotations

from contextlib import contextmanager

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def require_chromium() -> None:
    """Skip when Debian's Chromium is missing on a developer's machine; fail in CI."""
    if CHROMIUM.is_file():
        return
    problem = f"{CHROMIUM} is missing: run scripts/install-system-deps (as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {problem}")
    pytest.skip(problem)


@pytest.fixture
def page(request):
    require_chromium()  # before starting the server it would need
    served_archive = request.getfixturevalue("served_archive")

    with chromium_page(served_archive) as page:
        yield page


@contextmanager
def chromium_page(only: str | None = None):
    """A page of Debian's Chromium, in Vietnamese; with `only`, every request to
    another address is refused (a served archive's pages and media/ alone)."""
    from playwright.sync_api import sync_playwright  # the 'test' extra installs it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="vi-VN")
            page.set_default_timeout(15_000)
            if only:
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith(only) else route.abort())
            yield page
        finally:
            browser.close()


# The fast tier reads the same search and article page through Datasette's own
# client (test_datasette: test_search_finds_the_seed_article_with_or_without_diacritics,
# test_article_page_reads_like_the_article); this adds the browser and the real server.
@pytest.mark.slow
def test_reader_searches_without_diacritics_and_reads_the_seed_article(page, served_archive, seed):
    from playwright.sync_api import expect

    page.goto(f"{served_archive}/archive/articles")
    search_box = page.locator("input#_search")
    search_box.fill("thi dua")
    search_box.press("Enter")
    page.wait_for_url("**_search=thi+dua**")

    result = page.locator("a.lsa-title", has_text=seed.title)
    expect(result).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-thi-dua.png"), full_page=True)
    result.click()

    expect(page.locator("h1")).to_have_text(seed.title)
    expect(page.locator(".lsa-dateline")).to_contain_text("10/01/2017 - 20:04")
    for caption in seed.captions:
        expect(page.locator("figcaption", has_text=caption)).to_be_visible()
    for name, _roles in seed.credits:
        expect(page.locator(".lsa-credit", has_text=name)).to_be_visible()
    expect(page.locator("a", has_text="1 revision")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "seed-article.png"), full_page=True)
    assert (SCREENSHOTS / "seed-article.png").stat().st_size > 10_000
