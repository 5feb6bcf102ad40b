"""Incremental crawls, refresh with conditional requests, and resume after kill -9,
on a 2,000-article mirror."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite
from lsarchive.warc import warc_files

from .helpers import LSARCHIVE, REPO, free_port, run_cli, scalar

pytestmark = pytest.mark.slow

ARTICLES = 2000
# One port for every mirror of this module: an article's canonical URL, and
# so its content hash, includes the address it was served at.
PORT = free_port()


def crawl(db, base_url, *extra):
    return run_cli("crawl", "--site-url", base_url, "--db", db, "--no-progress", *extra)


def hashes(db) -> dict[int, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("select node_id, content_hash from articles"))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    """An uninterrupted crawl of the 2,000-article mirror: the reference."""
    folder = tmp_path_factory.mktemp("incremental")
    db = folder / "archive.db"
    site = MirrorSite(articles=ARTICLES, seed=11)
    with MirrorServer(site, port=PORT) as server:
        started = time.monotonic()
        crawl(db, server.base_url)
        seconds = time.monotonic() - started
        requests = server.requests
    return {"db": db, "site": site, "requests": requests, "seconds": seconds, "hashes": hashes(db)}


def test_full_crawl_archives_every_article_without_errors(first_crawl):
    db = first_crawl["db"]
    assert scalar(db, "select count(*) from articles") == ARTICLES
    assert scalar(db, "select count(*) from extraction_errors") == 0


def test_recrawl_of_an_unchanged_mirror_costs_at_most_two_percent(first_crawl):
    db, site = first_crawl["db"], first_crawl["site"]
    with MirrorServer(site, port=PORT) as server:
        result = crawl(db, server.base_url)
        requests = server.requests
    assert requests <= 0.02 * first_crawl["requests"], (requests, first_crawl["requests"])
    assert "0 new articles" in result.stdout
    assert scalar(db, "select count(*) from articles") == ARTICLES


def test_new_articles_are_found_and_edits_become_revisions(first_crawl, tmp_path):
    db = tmp_path / "archive.db"
    db.write_bytes(first_crawl["db"].read_bytes())
    changed = MirrorSite(articles=ARTICLES, seed=11, edits=10, additions=25)
    with MirrorServer(changed, port=PORT) as server:
        result = crawl(db, server.base_url)
        assert "25 new articles" in result.stdout
        assert scalar(db, "select count(*) from articles") == ARTICLES + 25
        revisions_before = scalar(db, "select count(*) from revisions")
        result = crawl(db, server.base_url, "--refresh")
    assert "10 updated" in result.stdout
    assert scalar(db, "select count(*) from revisions") == revisions_before + 10
    edited = set(changed.edited_node_ids())
    conn = sqlite3.connect(db)
    revised = {n for (n,) in conn.execute("select node_id from articles where revision = 2")}
    assert revised == edited
    # The earlier text is still there, untouched.
    first = dict(conn.execute(
        "select a.node_id, r.content_hash from revisions r join articles a on a.id = r.article_id "
        "where r.revision = 1"))
    assert all(first[n] == first_crawl["hashes"][n] for n in edited)
    unchanged_checks = scalar(db, "select count(*) from pages where status = 304")
    assert unchanged_checks == ARTICLES + 25 - 10


def test_kill_9_three_times_then_resume_gives_the_same_archive(first_crawl, tmp_path):
    db = tmp_path / "archive.db"
    site = first_crawl["site"]
    rng = random.Random(2026)
    with MirrorServer(site, port=PORT) as server:
        for _ in range(3):
            # Three kills within the first ~90% of a crawl's time, so each one
            # lands while the (resumed) crawl is still running.
            moment = rng.uniform(0.1, 0.3) * first_crawl["seconds"]
            process = subprocess.Popen(
                [*LSARCHIVE, "crawl", "--site-url", server.base_url, "--db", str(db), "--no-progress"],
                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            time.sleep(moment)
            assert process.poll() is None, "the crawl ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        crawl(db, server.base_url)
    assert hashes(db) == first_crawl["hashes"]
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    for path in warc_files(tmp_path / "warcs"):
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], check=True,
                       capture_output=True)
    assert not list((tmp_path / "warcs").glob("*.open"))


def test_a_stopped_crawl_keeps_its_job_state_and_resumes(first_crawl, tmp_path):
    """SIGTERM (what Ctrl-C does, and what service managers send): Scrapy stops
    gracefully, keeps JOBDIR, and the same command resumes from it."""
    db = tmp_path / "archive.db"
    with MirrorServer(first_crawl["site"], port=PORT) as server:
        process = subprocess.Popen(
            [*LSARCHIVE, "crawl", "--site-url", server.base_url, "--db", str(db), "--no-progress"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(0.3 * first_crawl["seconds"])
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 130, stderr[-2000:]
        assert "crawl shutdown" in stdout and "run the same command to resume" in stderr
        assert (tmp_path / "crawls" / "tpls").is_dir()
        assert 0 < scalar(db, "select count(*) from articles") < ARTICLES
        result = crawl(db, server.base_url)
    assert "resuming the interrupted crawl" in result.stderr
    assert hashes(db) == first_crawl["hashes"]
    assert not (tmp_path / "crawls" / "tpls").exists()
