"""Opening an archive for reading only, wherever it lies (Archive(readonly=True))."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote


def open_readonly(path: Path) -> tuple[sqlite3.Connection, bool]:
    """(a read-only connection, whether it had to be immutable).

    mode=ro reads a WAL archive a crawl may be writing, but must create the
    -shm file beside it when there is none; in a read-only folder or file
    system it cannot, and only immutable=1 opens the file (no locking, which
    is safe there: nothing can be writing either). Raises sqlite3.DatabaseError
    for a file that is not SQLite.
    """
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn, False
    except sqlite3.OperationalError as exc:
        conn.close()
        if "readonly" not in str(exc) and "unable to open" not in str(exc):
            raise
    conn = sqlite3.connect(uri + "&immutable=1", uri=True)
    conn.execute("select count(*) from sqlite_master").fetchone()
    return conn, True
