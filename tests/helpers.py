"""Shared test helpers: run the real CLI, read a real archive."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# One implementation for the tests and the benchmarks.
from benchmarks.common import free_port, stop_process, wait_for  # noqa: F401 - re-exported

REPO = Path(__file__).resolve().parents[1]
# The real-world pages and seeds beside the repository (LSARCHIVE_SHARED names
# another place, e.g. for a git worktree kept elsewhere).
SHARED = Path(os.environ.get("LSARCHIVE_SHARED") or REPO.parent / "shared")
REALWORLD_DIR = SHARED / "realworld"
SEEDS_DIR = SHARED / "seeds"


def require_shared(path: Path) -> Path:
    """`path` (under ../shared), or skip the test when it is absent; under CI
    (CI set) fail instead: CI must never pass by quietly skipping real pages."""
    if not path.exists():
        message = f"{path} is not present (../shared beside the repository, or LSARCHIVE_SHARED)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path
LSARCHIVE = [sys.executable, "-m", "lsarchive.cli"]


def run_cli(*args, cwd=None, check=True, timeout=600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    result = subprocess.run([*LSARCHIVE, *map(str, args)], capture_output=True, text=True,
                            cwd=cwd or REPO, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError(
            f"lsarchive {' '.join(map(str, args))} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
        )
    return result


def invoke_cli(*args, cwd=None, check=True) -> subprocess.CompletedProcess:
    """`lsarchive ARGS` in this process, through Click's CliRunner: what run_cli
    gives, without starting Python (a second or more of CPU each time). For a
    command's behaviour; a test about the real process (its exit status seen by
    a shell, signals, no traceback) uses run_cli. A crawl always does: Twisted's
    reactor runs once per process. An exception the command lets out fails the test."""
    from click.testing import CliRunner

    from lsarchive.cli import main

    args = [str(arg) for arg in args]
    argv, on_sigterm = sys.argv, signal.getsignal(signal.SIGTERM)
    root = logging.getLogger()
    handlers = root.handlers[:]
    sys.argv = ["lsarchive", *args]  # the command line a run records
    # As in a fresh process, no handler: warnings reach stderr through logging's last resort.
    root.handlers = []
    try:
        with contextlib.chdir(cwd or REPO):
            result = CliRunner().invoke(main, args, prog_name="lsarchive", catch_exceptions=False)
    finally:
        sys.argv, root.handlers = argv, handlers
        signal.signal(signal.SIGTERM, on_sigterm)  # replays make SIGTERM a Ctrl-C
    completed = subprocess.CompletedProcess(["lsarchive", *args], result.exit_code, result.stdout, result.stderr)
    if check and completed.returncode != 0:
        raise AssertionError(f"lsarchive {' '.join(args)} exited {completed.returncode}\n"
                             f"stdout:\n{completed.stdout[-3000:]}\nstderr:\n{completed.stderr[-3000:]}")
    return completed


def archived_records(db: Path) -> dict[int, dict]:
    """node id → the latest CONTRACT record stored for it."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        """select a.node_id, r.record from articles a
           join revisions r on r.article_id = a.id and r.revision = a.revision"""
    ).fetchall()
    conn.close()
    return {node_id: json.loads(record) for node_id, record in rows}


def scalar(db: Path, sql: str, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def assert_archive_is_the_truth(db: Path, site, base_url: str) -> None:
    """Every article of the mirror `site` archived in `db`, each record as its truth says."""
    records = archived_records(db)
    assert sorted(records) == sorted(site.node_ids())
    for node_id, record in records.items():
        assert record == site.truth(node_id, base_url)


def as_another_user(command: list[str]) -> list[str]:
    """Root reads any file: run as nobody so that permissions mean something."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]


class DatasetteClient:
    """Synchronous GETs through Datasette's ASGI client, on one event loop."""

    def __init__(self, ds):
        self.ds = ds
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(ds.invoke_startup())

    def get(self, path: str):
        return self.loop.run_until_complete(self.ds.client.get(path))

    def json(self, path: str):
        response = self.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:500]}"
        return response.json()

    def close(self):
        self.loop.close()


# Full-text indexes --------------------------------------------------------------------


def index_layout(path) -> dict[str, list[int]]:
    """The blocks each full-text index is stored in (FTS5's `_data` rows): a
    merged index is what merging it again leaves it."""
    from lsarchive.store.indexes import SEARCH_INDEXES

    conn = sqlite3.connect(path)
    try:
        return {name: [r for r, in conn.execute(f"select id from {name}_data order by id")]
                for name in SEARCH_INDEXES}
    finally:
        conn.close()


def is_merged(path, tmp_path) -> bool:
    """Whether the archive's full-text indexes are merged: merging a copy of them
    again leaves them as they are."""
    copy = tmp_path / "merged-again.db"
    source = sqlite3.connect(path)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    from lsarchive.store.archive import Archive

    with Archive(copy) as archive:
        archive.merge_search_indexes()
    return index_layout(copy) == index_layout(path)
