"""What the commands share: exit codes, one-line failures, the --db option,
opening the archive to read it, and the writer's lock."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from .checks import ArchivePath

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

DB_OPTION = click.option(
    "--db", "db", default="archive.db", show_default=True,
    type=ArchivePath(), help="The SQLite archive.",
)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"lsarchive: {message}", err=True)
    sys.exit(code)


def open_read_only(db: str):
    """A plain read-only sqlite3 connection: a search needs nothing more, and
    sqlite-utils (which Archive uses) takes longer to import than a search takes.
    Anything unusual (no file, not SQLite, a read-only folder) goes through the
    checks of open_archive, which say why in one line or open it immutable."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
        conn.execute("select 1 from articles limit 1")
        return conn
    except (sqlite3.Error, OSError):
        return open_archive(db).db.conn


def open_archive(db: str, *, whole: bool = False):
    """The archive for reading (checks.open_archive: checked, read-only safe)."""
    from .checks import open_archive as checked_archive

    return checked_archive(db, whole=whole)


@contextmanager
def writer_lock(db: str, command: str):
    """Hold the archive's writer lock, or exit 2 naming the process that holds it."""
    from ..store.lock import ArchiveBusy, ArchiveLock

    lock = ArchiveLock(db, " ".join(["lsarchive", *sys.argv[1:]]) if sys.argv[1:] else f"lsarchive {command}")
    try:
        lock.acquire()
    except ArchiveBusy as exc:
        fail(f"{exc}; wait for it to end, or stop it (it resumes later)")
    except OSError as exc:
        fail(f"cannot lock {db}: {exc.strerror or exc}")
    try:
        if lock.stale is not None:
            note_takeover(db, lock.stale)
        yield lock
    finally:
        lock.release()


def note_takeover(db: str, holder) -> None:
    """The previous writer died holding the lock: say so, and record it."""
    from ..store.archive import Archive

    click.echo(f"the previous writer of {db} ({holder.describe()}) ended without releasing it; "
               "taking over", err=True)
    if Path(db).exists():
        with Archive(db) as archive:
            archive.log_event("lock taken over", f"from {holder.describe()}")
