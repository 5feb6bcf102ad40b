"""The `lsarchive` command as people use it: extract, help, errors, mirror."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite

from .helpers import LSARCHIVE, REALWORLD_DIR, REPO, SEEDS_DIR, free_port, invoke_cli, require_shared

# A missing folder still gives one test, skipped (or failed under CI) by require_shared.
REALWORLD = sorted(REALWORLD_DIR.glob("*.html")) or [REALWORLD_DIR / "missing.html"]
CONTRACT_EXAMPLE = {
    "title": "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017",
    "published_text": "Thứ Ba, 10/01/2017 - 20:04",
    "published_at": "2017-01-10T20:04:00+07:00",
    "credits": [{"name": "Thanh Huệ", "roles": ["text", "photo"]},
                {"name": "Đài TT-TH TPLS", "roles": ["unit"]}],
    "credit_lines": ["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"],
}


@pytest.mark.parametrize("page", REALWORLD, ids=lambda p: p.stem)
def test_extract_command_on_every_realworld_page(page):
    require_shared(page)
    case = json.loads(page.with_suffix(".json").read_text())
    record = json.loads(invoke_cli("extract", page, "--url", case["page_url"]).stdout)
    # The expected records were written before `after_paragraph` existed: compare what they give.
    for image, expected in zip(record["images"], case["expect"]["images"]):
        for key in set(image) - set(expected):
            del image[key]
    assert record == case["expect"]


@pytest.fixture(scope="module")
def mirror():
    site = MirrorSite(articles=30, seed=5)
    with MirrorServer(site) as server:
        yield site, server


def test_extract_command_on_the_seed_article_url(mirror):
    require_shared(SEEDS_DIR)
    site, server = mirror
    url = site.truth(site.seed_node_id, server.base_url)["url"]
    record = json.loads(invoke_cli("extract", url).stdout)
    assert {k: record[k] for k in CONTRACT_EXAMPLE} == CONTRACT_EXAMPLE
    assert record == site.truth(site.seed_node_id, server.base_url)
    seed_text = next(SEEDS_DIR.glob("*.txt")).read_text()
    normalised = " ".join(seed_text.split())
    assert all(" ".join(p.split()) in normalised for p in record["body"])
    assert len(record["images"]) == 5


def test_extract_node_url_gives_the_canonical_alias(mirror):
    site, server = mirror
    record = json.loads(invoke_cli("extract", f"{server.base_url}node/{site.seed_node_id}").stdout)
    assert record["url"] == site.truth(site.seed_node_id, server.base_url)["url"]
    assert record["node_id"] == site.seed_node_id


def test_extract_refuses_a_listing_with_one_line(mirror):
    _, server = mirror
    result = invoke_cli("extract", server.base_url + "tin-tuc-su-kien", check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("lsarchive: not an article") and result.stderr.count("\n") == 1


def test_extract_a_missing_page_fails_cleanly(mirror):
    _, server = mirror
    result = invoke_cli("extract", server.base_url + "khong-co-trang-nay", check=False)
    assert result.returncode == 1 and "HTTP 404" in result.stderr and "Traceback" not in result.stderr


def test_extract_a_file_needs_its_url(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html></html>")
    result = invoke_cli("extract", page, check=False)
    assert result.returncode == 2 and "--url" in result.stderr


@pytest.mark.parametrize("command", ["", "crawl", "mirror", "extract", "search", "stats", "serve",
                                     "export", "reextract", "import-warc"])
def test_every_command_has_help(command):
    out = invoke_cli(*([command] if command else []), "--help").stdout
    assert out.startswith("Usage: ")


def test_search_without_an_archive_says_so(tmp_path):
    result = invoke_cli("search", "thi dua", "--db", tmp_path / "none.db", check=False)
    assert result.returncode == 2 and "no archive" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_mirror_command_serves_and_stops_on_ctrl_c():
    port = free_port()
    process = subprocess.Popen([*LSARCHIVE, "mirror", "--articles", "20", "--port", str(port)],
                               cwd=REPO, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tpls/home", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Serving 20 articles" in stderr and "Traceback" not in stderr


def test_evaluate_command_scores_gold_and_realworld():
    # One round: this checks the scores and the comparison, not the timing.
    out = invoke_cli("evaluate", REPO / "tests" / "gold", require_shared(REALWORLD_DIR), "--rounds", "1").stdout
    assert "failures: 0" in out
    for field in ("title", "date (published_at)", "images (src lists exact)"):
        line = next(l for l in out.splitlines() if l.strip().startswith(field))
        assert line.strip().endswith("100.0%"), line
    assert "trafilatura" in out
