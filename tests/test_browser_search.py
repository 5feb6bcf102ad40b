"""A reader in a real browser types "Đồng Đăng" into Datasette's search box, in
`lsarchive serve` and in a plain `datasette archive.db`: the first results hold
"Đồng Đăng" as typed (not "Đông … Đảng")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import wait_for
from .helpers import free_port
from .test_browser import chromium_page, require_chromium

DATASETTE = Path(sys.executable).with_name("datasette")


@pytest.fixture(scope="module")
def mirror_archive(tmp_path_factory):
    from lsarchive.mirror import MirrorServer, MirrorSite

    path = tmp_path_factory.mktemp("browser-search") / "archive.db"
    with MirrorServer(MirrorSite(articles=400, seed=3)) as server:
        subprocess.run(
            [sys.executable, "-m", "lsarchive.cli", "crawl", "--site-url", server.base_url, "--db", str(path),
             "--no-progress", "--no-media", "--politeness", "off"],
            check=True, capture_output=True, timeout=600)
    return path


def serve(command: list[str], tmp_path: Path):
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen([*command, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/-/versions.json", timeout=30, process=process, log=log)
    return process, base


def server_command(server: str, db) -> list[str]:
    """`lsarchive serve` or a plain `datasette archive.db`: the two ways a reader browses."""
    if server == "lsarchive serve":
        return [sys.executable, "-m", "lsarchive.cli", "serve", "--db", str(db)]
    return [str(DATASETTE), str(db)]


@pytest.mark.slow
@pytest.mark.parametrize("server", ["lsarchive serve", "datasette archive.db"])
def test_searching_dong_dang_in_the_search_box_finds_it_first(server, mirror_archive, tmp_path):
    require_chromium()
    from playwright.sync_api import expect

    process, base = serve(server_command(server, mirror_archive), tmp_path)
    try:
        with chromium_page() as page:
            page.goto(f"{base}/archive/articles")
            box = page.locator("input#_search")
            box.fill("Đồng Đăng")
            box.press("Enter")
            page.wait_for_url("**_search=**")
            expect(page.locator("input#_search")).to_have_value("Đồng Đăng")
            items = page.locator("li.lsa-item")
            expect(items.first).to_be_visible()
            for n in range(3):
                assert "Đồng Đăng" in items.nth(n).inner_text(), items.nth(n).inner_text()
            expect(page.get_by_text("Most relevant first", exact=True)).to_be_visible()
            items.first.locator("a.lsa-title").click()
            expect(page.locator(".lsa-dateline")).to_be_visible()
    finally:
        process.terminate()
        process.wait(timeout=10)
