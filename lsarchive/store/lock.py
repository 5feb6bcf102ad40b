"""One writer per archive: an advisory lock beside the SQLite file.

SQLite itself lets two processes write one file in turn, but two crawls of
one archive interleave their job state, their run records and their view of
what is archived, and each believes the other's work is its own. So every
command that writes (crawl, reextract, import-warc) holds `ARCHIVE.lock`
for its whole run.

The lock is `flock(2)` on that file: the kernel releases it when the holder
exits, however it exits, so a lock left by `kill -9` or a power loss is never
mistaken for a live one. The file also says who holds it (pid, command, since
when) for the message a second writer prints; a holder that exits cleanly
empties it, so finding it non-empty when taking the lock means the previous
holder died: that takeover is reported to the caller, which records it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


class ArchiveBusy(Exception):
    """Another process is writing this archive."""


@dataclass
class Holder:
    pid: int
    command: str
    since: str
    host: str = ""

    def describe(self) -> str:
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        return f"pid {self.pid}{where} ({self.command}) since {self.since}"


def lock_path(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".lock")


# Locks this process holds: flock is per open file, so a second open of the
# same lock file in this process would wait for itself. Nested holders (the
# CLI, then the crawl's pipeline) share one open file and count.
_held: dict[Path, list] = {}  # path -> [open file, depth, stale holder]


class ArchiveLock:
    """Hold with `with ArchiveLock(db, "lsarchive crawl"):` or acquire()/release().

    `stale` is the Holder that died holding the lock, if the previous writer
    was killed; None otherwise.
    """

    def __init__(self, db: str | Path, command: str | None = None):
        self.path = lock_path(Path(db).absolute())
        self.command = command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
        self.stale: Holder | None = None
        self._holding = False

    def acquire(self) -> "ArchiveLock":
        if self._holding:
            return self
        entry = _held.get(self.path)
        if entry is None:
            handle, stale = self._take()
            entry = _held[self.path] = [handle, 0, stale]
        entry[1] += 1
        self.stale = entry[2]
        self._holding = True
        return self

    def _take(self):
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(handle)
            handle.close()
            who = holder.describe() if holder else "another process"
            raise ArchiveBusy(f"{self.path.name[:-len('.lock')]} is being written by {who}") from None
        stale = _read_holder(handle)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({
            "pid": os.getpid(), "command": self.command, "host": socket.gethostname(),
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }))
        handle.flush()
        os.fsync(handle.fileno())
        return handle, stale

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        entry = _held[self.path]
        entry[1] -= 1
        if entry[1]:
            return
        del _held[self.path]
        handle = entry[0]
        handle.seek(0)
        handle.truncate()  # empty: released cleanly, nobody died holding it
        handle.flush()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    def __enter__(self) -> "ArchiveLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(handle) -> Holder | None:
    handle.seek(0)
    text = handle.read().strip()
    if not text:
        return None
    try:
        data = json.loads(text)
        return Holder(pid=int(data["pid"]), command=str(data.get("command", "?")),
                      since=str(data.get("since", "?")), host=str(data.get("host", "")))
    except (ValueError, KeyError, TypeError):
        return Holder(pid=0, command="unknown", since="unknown")
