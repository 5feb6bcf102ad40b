"""Distributed crawling (docs/distributed.md): workers on a real Redis share one
frontier and one politeness budget per host, and one writer makes one archive
equal to a single-process crawl, whatever is killed on the way.

Real parts only: Debian's redis-server on a free port (tests/redis_server.py),
the mirror on 127.0.0.1, workers and writers as `lsarchive` subprocesses,
kill -9 with real signals, warcio's own checker.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lsarchive.mirror import MirrorServer, MirrorSite

from .helpers import LSARCHIVE, run_cli, scalar
from .redis_server import redis_server  # noqa: F401 (fixture)
from .test_crash_safety import snapshot

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def start(args: list, folder: Path, log: str) -> subprocess.Popen:
    handle = open(folder / log, "a")
    return subprocess.Popen([*LSARCHIVE, *map(str, args)], cwd=folder, stdout=handle, stderr=subprocess.STDOUT,
                            env=ENV)


def worker(name: str, redis_url: str, site_url: str, folder: Path, *extra) -> subprocess.Popen:
    return start(["crawl", "--redis", redis_url, "--worker", name, "--site-url", site_url,
                  "--db", "archive.db", "--no-progress", *extra], folder, f"{name}.log")


def writer(redis_url: str, folder: Path) -> subprocess.Popen:
    return start(["write", "--redis", redis_url, "--db", "archive.db", "--until-settled"], folder, "writer.log")


def finish(process: subprocess.Popen, folder: Path, log: str, timeout: float = 600) -> None:
    code = process.wait(timeout=timeout)
    assert code == 0, (log, code, (folder / log).read_text()[-3000:])


def status(redis_url: str) -> dict:
    return json.loads(run_cli("status", "--redis", redis_url, "--json").stdout)


def assert_sound(folder: Path) -> list[Path]:
    """integrity_check ok; warcio check passes on every worker's WARC; nothing left open."""
    assert scalar(folder / "archive.db", "PRAGMA integrity_check") == "ok"
    warcs = sorted((folder / "warcs").rglob("*.warc.gz"))
    for path in warcs:
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, (path.name, check.stdout[-2000:])
    assert not list((folder / "warcs").rglob("*.open"))
    assert not list((folder / "media").glob("*/*.part"))
    return warcs


def owed_articles(db: Path) -> int:
    return scalar(db, "select count(*) from article_links where path not in "
                      "(select substr(url, length(url) - length(path) + 1) from articles)")


# Quick ------------------------------------------------------------------------
def test_status_of_an_empty_fleet_and_a_redis_that_cannot_be_reached(redis_server, tmp_path):  # noqa: F811
    shown = run_cli("status", "--redis", redis_server.url).stdout
    assert "0 requests queued" in shown and "workers alive: 0" in shown and "no writer alive" in shown
    down = run_cli("crawl", "--redis", "redis://127.0.0.1:1/0", "--site-url", "http://127.0.0.1:1/tpls/",
                   cwd=tmp_path, check=False)
    assert down.returncode == 3
    assert down.stderr.strip().startswith("lsarchive: cannot reach Redis") and "Traceback" not in down.stderr
    assert len(down.stderr.strip().splitlines()) == 1


# Politeness -----------------------------------------------------------------
@pytest.mark.slow
def test_three_workers_keep_one_crawl_delay_for_the_host(redis_server, tmp_path):  # noqa: F811
    """The mirror's robots.txt asks 10 s; --crawl-delay 0.2 stands for it so the
    test is short. Three workers together never come closer than that."""
    delay, tolerance = 0.2, 0.02  # 20 ms: a worker's event loop wakes a little early or late
    with MirrorServer(MirrorSite(articles=12, seed=3)) as server:
        processes = [worker(f"w{n}", redis_server.url, server.base_url, tmp_path,
                            "--politeness", "on", "--crawl-delay", delay) for n in (1, 2, 3)]
        store = writer(redis_server.url, tmp_path)
        for n, process in enumerate(processes, 1):
            finish(process, tmp_path, f"w{n}.log")
        finish(store, tmp_path, "writer.log")
        times = list(server.request_times)
    assert len(times) > 30
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert min(gaps) >= delay - tolerance, sorted(gaps)[:5]
    # Every worker took part, and the pages were stored.
    workers = {row for row in sqlite3.connect(tmp_path / "archive.db").execute("select distinct worker from pages")}
    assert workers == {("w1",), ("w2",), ("w3",)}
    assert scalar(tmp_path / "archive.db", "select count(*) from articles") == 12
