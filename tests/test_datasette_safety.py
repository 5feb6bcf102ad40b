"""Datasette's side of readers' safety, without a browser (test_reader_safety.py has one).

Every response carries the Content-Security-Policy; the archived-media route
keeps its stricter one; the plugin's SQL functions are bounded, so that one
huge text cannot hold a connection past Datasette's time limit; an archive
in a read-only folder is served.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from lsarchive.datasette import make_datasette
from lsarchive.datasette.limits import MAX_SQL_TEXT
from lsarchive.datasette.safety import content_security_policy
from lsarchive.store.archive import Archive

from .helpers import DatasetteClient, as_another_user


@pytest.mark.parametrize("path", ["/", "/archive", "/archive/articles", "/archive/articles.json",
                                  "/archive/search?q=thi+dua", "/-/versions.json", "/nowhere"])
def test_every_response_forbids_inline_script(client, path):
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    script_src = policy.split("script-src ")[1].split(";")[0].split()
    assert script_src[0] == "'self'" and all(s.startswith("'sha256-") for s in script_src[1:])
    assert "object-src 'none'" in policy and "frame-src 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_inline_scripts_datasette_writes_are_allowed_by_hash(client):
    import base64
    import hashlib
    import re

    html = client.get("/archive/articles").text
    inline = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", html, re.DOTALL)
    assert len(inline) >= 3  # table settings, closing menus, folding column descriptions
    allowed = content_security_policy().decode()
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, script[:80]


def test_sql_functions_refuse_or_cut_a_huge_text():
    """A text over the cap: lsarchive_fold refuses it (an SQL error, not
    seconds of work), lsarchive_highlight reads its beginning."""
    from lsarchive.datasette.plugin import prepare_connection

    conn = sqlite3.connect(":memory:")
    prepare_connection(conn)  # the plugin's own registration, bounded inside
    huge = "Lạng Sơn " * 2_000_000 + "thi đua"  # 18 MB; the hit lies past the cap
    with pytest.raises(sqlite3.OperationalError, match="user-defined function raised exception"):
        conn.execute("select lsarchive_fold(?)", [huge]).fetchone()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("select lsarchive_fts_query(?)", [huge]).fetchone()
    snippet = conn.execute("select lsarchive_highlight(?, 'thi dua')", [huge]).fetchone()[0]
    assert snippet.startswith("Lạng Sơn") and "[" not in snippet
    ordinary = "Thành phố Lạng Sơn " * 1000
    assert len(ordinary) < MAX_SQL_TEXT
    assert conn.execute("select lsarchive_fold(?)", [ordinary]).fetchone()[0].startswith("thanh pho lang son")
    assert "[thi] [đua]" in conn.execute("select lsarchive_highlight(?, 'thi dua')",
                                       [ordinary + " thi đua"]).fetchone()[0]


def test_datasette_time_limit_still_stops_a_query_calling_them(seed_archive):
    client = DatasetteClient(make_datasette(seed_archive, sql_time_limit_ms=200))
    try:
        sql = ("with recursive n(i) as (select 1 union all select i + 1 from n) "
               "select count(lsarchive_fold('Thi đua khen thưởng ' || i)) from n")
        started = time.perf_counter()
        response = client.get("/archive.json?sql=" + quote_plus(sql))
        assert response.status_code == 400
        assert "too long" in response.json()["error"].lower(), response.json()["error"]
        assert time.perf_counter() - started < 5
    finally:
        client.close()


def test_an_archive_in_a_read_only_folder_is_served(seed_archive, readable_tmp):
    """chmod 444 file, 555 folder, read by another user: `lsarchive serve` opens it immutable."""
    folder = readable_tmp / "ro"
    folder.mkdir()
    shutil.copy(seed_archive, folder / "archive.db")
    with Archive(folder / "archive.db") as archive:  # leave it in WAL mode, without -wal/-shm
        archive.db.execute("pragma wal_checkpoint(truncate)")
    for leftover in folder.glob("archive.db-*"):
        leftover.unlink()
    os.chmod(folder / "archive.db", 0o444)
    os.chmod(folder, 0o555)
    try:
        code = ("import asyncio, sys; from lsarchive.datasette import make_datasette; "
                "from lsarchive.cli.common import open_archive; a = open_archive(sys.argv[1]); "
                "ds = make_datasette(sys.argv[1], immutable=a.immutable); "
                "r = asyncio.run(ds.client.get('/archive/articles.json?_shape=array')); "
                "print(a.immutable, r.status_code, len(r.json()))")
        result = subprocess.run(as_another_user([sys.executable, "-c", code, str(folder / "archive.db")]),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["True", "200", "3"]
    finally:
        os.chmod(folder, 0o755)


@pytest.fixture
def readable_tmp():
    """A temporary folder other users may enter (pytest's tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="lsarchive-ro-"))
    os.chmod(path, 0o755)
    yield path
    for folder in [path, *path.rglob("*")]:
        if folder.is_dir():
            os.chmod(folder, 0o755)
    shutil.rmtree(path)


