"""The search evaluation on a real crawl of the mirror, through the library and
through Datasette's `_search` JSON API; and a plain `datasette archive.db`."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from urllib.parse import quote_plus

import pytest

from .helpers import run_cli

ARTICLES = 400


@pytest.fixture(scope="module")
def mirror_archive(tmp_path_factory):
    from lsarchive.mirror import MirrorServer, MirrorSite

    path = tmp_path_factory.mktemp("eval") / "archive.db"
    with MirrorServer(MirrorSite(articles=ARTICLES, seed=3)) as server:
        subprocess.run(
            [sys.executable, "-m", "lsarchive.cli", "crawl", "--site-url", server.base_url, "--db", str(path),
             "--no-progress", "--no-media", "--politeness", "off"],
            check=True, capture_output=True, timeout=600)
    return path


def figures(output: str) -> dict[tuple[str, str], tuple[float, float]]:
    found = {}
    for line in output.splitlines():
        m = re.match(r"(.+?), (with|without) diacritics: precision@k ([\d.]+), recall ([\d.]+)", line)
        if m:
            found[(m.group(1), m.group(2))] = (float(m.group(3)), float(m.group(4)))
    return found


@pytest.mark.slow
def test_evaluation_meets_the_targets_in_the_library_and_in_datasette(mirror_archive):
    result = run_cli("evaluate-search", "--db", mirror_archive, "--datasette")
    scores = figures(result.stdout)
    assert len(scores) == 4, result.stdout
    for (where, accents), (precision, recall) in scores.items():
        assert recall == 1.0, (where, accents)
        assert precision >= (0.98 if accents == "with" else 0.95), (where, accents, precision)
    assert re.search(r"over (\d+) queries", result.stdout) and \
        min(int(n) for n in re.findall(r"over (\d+) queries", result.stdout)) >= 30


@pytest.mark.slow
def test_plain_datasette_gives_the_same_search_and_pages(mirror_archive):
    from datasette.app import Datasette

    from lsarchive.datasette import register_plugin

    register_plugin()  # what the `datasette` entry point does outside pytest
    ds = Datasette([str(mirror_archive)])
    loop = asyncio.new_event_loop()
    try:
        get = lambda path: loop.run_until_complete(ds.client.get(path))  # noqa: E731
        rows = get(f"/archive/articles.json?_search={quote_plus('Đồng Đăng')}&_shape=array").json()
        assert rows and all("Đồng Đăng" in r["title"] + r["body"] + (r["captions"] or "") for r in rows[:3])
        page = get(f"/archive/articles?_search={quote_plus('Đồng Đăng')}").text
        assert 'value="Đồng Đăng"' in page and "Most relevant first" in page
        assert get("/archive/search?q=thi+dua").status_code == 200
        article = get(f"/archive/articles/{rows[0]['id']}").text
        assert 'class="lsa-dateline"' in article
        home = get("/").text
        assert "_memory" not in home
        bad = get(f"/archive/articles.json?_search={quote_plus('thi AND')}")
        assert bad.status_code == 400 and "not valid search syntax" in bad.json()["error"]
        assert "not valid search syntax" in get(f"/archive/articles?_search={quote_plus('(thi')}").text
    finally:
        loop.close()
