"""Crash safety: whatever interrupts a run, the archive converges to a complete
crawl, articles and media alike, with nothing half-stored (docs/reliability.md).

Real processes, real signals, the real mirror (through `crawl --mirror`, so
every run gets a new mirror port, as an archivist's would), real SQLite files
and a real size-limited file system for the full disk.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lsarchive.warc import warc_files

from .helpers import LSARCHIVE, run_cli, scalar

pytestmark = pytest.mark.slow

ARTICLES = 1000
CRAWL = ["crawl", "--mirror", "--articles", str(ARTICLES), "--no-progress"]


def start(args: list[str], folder: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*LSARCHIVE, *args], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def snapshot(folder: Path) -> dict:
    """What a complete archive holds, comparable across runs and folders."""
    conn = sqlite3.connect(folder / "archive.db")
    try:
        articles = dict(conn.execute("select node_id, content_hash from articles"))
        images = set(conn.execute(
            "select a.node_id, i.position, i.src, i.caption from images i join articles a on a.id = i.article_id"))
        credits = set(conn.execute(
            "select a.node_id, c.position, c.name, c.roles from credits c join articles a on a.id = c.article_id"))
        media = dict(conn.execute("select url, sha256 from media where sha256 is not null"))
        paths = dict(conn.execute("select sha256, path from media where sha256 is not null"))
        unsearchable = conn.execute(
            "select count(*) from articles where id not in (select id from articles_search)").fetchone()[0]
        without_revision = conn.execute(
            "select count(*) from articles a where not exists (select 1 from revisions r "
            "where r.article_id = a.id and r.revision = a.revision)").fetchone()[0]
    finally:
        conn.close()
    for digest, path in paths.items():
        data = (folder / "media" / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, path
    return {"articles": articles, "images": images, "credits": credits, "media": media,
            "unsearchable": unsearchable, "without_revision": without_revision}


def assert_sound(folder: Path) -> None:
    """integrity_check ok, every WARC passes warcio check, nothing left open or partial."""
    assert scalar(folder / "archive.db", "PRAGMA integrity_check") == "ok"
    for path in warc_files(folder / "warcs"):
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, (path.name, check.stdout[-2000:])
    assert not list((folder / "warcs").glob("*.open"))
    assert not list((folder / "media").glob("*/*.part"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted `crawl --mirror` of 1,000 articles with media."""
    folder = tmp_path_factory.mktemp("reference")
    started = time.monotonic()
    run_cli(*CRAWL, cwd=folder)
    seconds = time.monotonic() - started
    state = snapshot(folder)
    assert len(state["articles"]) == ARTICLES
    assert len(state["media"]) > ARTICLES  # images and documents
    return {"folder": folder, "seconds": seconds, "snapshot": state}


def test_kill_9_five_times_then_the_same_command_gives_the_uninterrupted_archive(reference, tmp_path):
    rng = random.Random(9)
    killed_while_running = 0
    for _ in range(5):
        process = start(CRAWL, tmp_path)
        time.sleep(rng.uniform(0.1, 0.3) * reference["seconds"])
        if process.poll() is None:
            killed_while_running += 1
        process.kill()
        process.communicate()
    assert killed_while_running >= 4
    result = run_cli(*CRAWL, cwd=tmp_path)
    assert "taking over" in result.stderr
    assert snapshot(tmp_path) == reference["snapshot"]
    assert_sound(tmp_path)
    conn = sqlite3.connect(tmp_path / "archive.db")
    statuses = [row[0] for row in conn.execute("select status from crawl_runs order by id")]
    killed_pages = conn.execute("select sum(pages_fetched) from crawl_runs where status = 'killed'").fetchone()[0]
    takeovers = conn.execute("select count(*) from archive_log where event = 'lock taken over'").fetchone()[0]
    conn.close()
    assert statuses[-1] == "finished" and statuses.count("killed") == killed_while_running
    assert killed_pages > 0  # a killed run is credited with what it stored
    assert takeovers >= killed_while_running


def test_ctrl_c_on_a_mirror_crawl_then_the_same_command_resumes_exactly(reference, tmp_path):
    process = start(CRAWL, tmp_path)
    time.sleep(0.4 * reference["seconds"])
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr
    assert scalar(tmp_path / "archive.db", "select status from crawl_runs order by id desc limit 1") == "stopped"
    result = run_cli(*CRAWL, cwd=tmp_path)  # a new mirror, on a new port
    assert "resuming the interrupted crawl" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == reference["snapshot"]
    assert_sound(tmp_path)
    assert not (tmp_path / "crawls" / "tpls").exists()


def test_a_torn_job_state_is_dropped_with_a_warning_and_the_crawl_converges(reference, tmp_path):
    process = start(CRAWL, tmp_path)
    time.sleep(0.3 * reference["seconds"])
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    queue = tmp_path / "crawls" / "tpls" / "requests.queue" / "active.json"
    assert queue.exists()
    queue.write_text('{"torn')
    result = run_cli(*CRAWL, cwd=tmp_path)
    assert "cannot be read" in result.stderr
    assert snapshot(tmp_path) == reference["snapshot"]


def test_a_second_writer_is_refused_and_the_first_completes(reference, tmp_path):
    first = start(CRAWL, tmp_path)
    lock = tmp_path / "archive.db.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    warcs = reference["folder"] / "warcs"
    for second in (CRAWL, ["reextract", "--warcs", str(warcs), "--into", "archive.db"],
                   ["import-warc", str(warc_files(warcs)[0])]):
        refused = run_cli(*second, cwd=tmp_path, check=False)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and f"pid {first.pid}" in lines[0] and "lsarchive crawl" in lines[0], lines
    stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr[-2000:]
    assert snapshot(tmp_path) == reference["snapshot"]
    # The next plain run finds nothing missing.
    assert "0 new articles" in run_cli(*CRAWL, cwd=tmp_path).stdout


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_a_full_disk_stops_the_crawl_with_one_line_and_the_next_run_converges(reference, tmp_path):
    folder = tmp_path / "small"
    if not mount_tmpfs(folder, "6m"):
        if os.environ.get("CI"):
            pytest.fail("cannot mount a size-limited tmpfs for the disk-full test")
        pytest.skip("mounting a tmpfs needs root")
    try:
        full = run_cli(*CRAWL, cwd=folder, check=False)
        assert full.returncode == 1, (full.stdout, full.stderr[-3000:])
        assert "Traceback" not in full.stderr
        assert "disk full" in full.stderr
        assert not list((folder / "media").glob("*/*.part"))
        assert 0 < scalar(folder / "archive.db", "select count(*) from articles") < ARTICLES
        subprocess.run(["mount", "-o", "remount,size=400m", str(folder)], check=True)
        result = run_cli(*CRAWL, cwd=folder)
        assert "Traceback" not in result.stderr
        assert snapshot(folder) == reference["snapshot"]
        assert_sound(folder)
        statuses = [row for row in sqlite3.connect(folder / "archive.db").execute(
            "select status, reason from crawl_runs order by id")]
        assert statuses[0][0] in ("failed", "killed") and statuses[-1][0] == "finished", statuses
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.mark.parametrize("command", ["import-warc", "reextract"])
def test_kill_9_loops_on_replays_end_with_every_article_complete(reference, tmp_path, command):
    source = reference["folder"]
    warcs = [str(p) for p in warc_files(source / "warcs")]
    if command == "import-warc":
        args = ["import-warc", *warcs, "--db", str(tmp_path / "archive.db")]
    else:
        args = ["reextract", "--db", str(source / "archive.db"), "--warcs", str(source / "warcs"),
                "--into", str(tmp_path / "archive.db")]
    # How long an uninterrupted run takes: the kills land within it.
    seconds = reference["seconds"] / 2
    rng = random.Random(command)
    for _ in range(5):
        process = start(args, tmp_path)
        time.sleep(rng.uniform(0.2, 0.8) * seconds)
        process.kill()
        process.communicate()
    run_cli(*args, cwd=tmp_path, check=False)
    run_cli(*args, cwd=tmp_path, check=False)  # again: duplicates nothing
    state = snapshot_without_media(tmp_path / "archive.db")
    assert state["articles"] == reference["snapshot"]["articles"]
    assert state["unsearchable"] == 0 and state["without_revision"] == 0
    conn = sqlite3.connect(tmp_path / "archive.db")
    duplicates = conn.execute("select count(*) - count(distinct warc_file || ':' || warc_offset) "
                              "from pages").fetchone()[0]
    running = conn.execute("select count(*) from crawl_runs where status = 'running'").fetchone()[0]
    conn.close()
    assert duplicates == 0 and running == 0
    assert scalar(tmp_path / "archive.db", "PRAGMA integrity_check") == "ok"


def snapshot_without_media(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {
            "articles": dict(conn.execute("select node_id, content_hash from articles")),
            "unsearchable": conn.execute(
                "select count(*) from articles where id not in (select id from articles_search)").fetchone()[0],
            "without_revision": conn.execute(
                "select count(*) from articles a where not exists (select 1 from revisions r "
                "where r.article_id = a.id and r.revision = a.revision)").fetchone()[0],
        }
    finally:
        conn.close()


def test_an_article_is_stored_whole_or_not_at_all(tmp_path, seed):
    """A failure injected between the writes (a real SQLite trigger that aborts
    the revision insert) leaves nothing of the article; storing it again
    yields the complete article."""
    from lsarchive.store.archive import Archive

    with Archive(tmp_path / "archive.db") as archive:
        archive.db.execute("create temp trigger fail_revision before insert on revisions "
                           "begin select raise(abort, 'injected failure'); end")
        with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
            archive.save_article(seed.article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        for table in ("articles", "images", "credits", "articles_search", "article_html", "revisions"):
            assert archive.db.execute(f"select count(*) from {table}").fetchone()[0] == 0, table
        archive.db.execute("drop trigger fail_revision")
        _, outcome = archive.save_article(seed.article(), site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        assert outcome == "new"
        counts = {table: archive.db.execute(f"select count(*) from {table}").fetchone()[0]
                  for table in ("articles", "images", "credits", "articles_search", "revisions")}
    assert counts == {"articles": 1, "images": 5, "credits": 2, "articles_search": 1, "revisions": 1}
