"""The one archive writer: drains the workers' result stream into SQLite.

It reads the stream through a consumer group (XREADGROUP) and acknowledges
an entry (XACK, then XDEL to free Redis's memory) only after the page's
SQLite transaction has committed. A writer killed at any moment loses
nothing: on restart it first reads back the entries it had been given but
not acknowledged (its pending list), and storing a page twice is harmless
(provenance is unique per WARC record; an article stored again is
`unchanged`). It holds the archive's writer lock like any other writer.
"""

from __future__ import annotations

import json
import logging
import pickle
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from ..crawl.pipelines import describe_io_error
from ..stages import PageWriter, remove_partial_media
from ..store.archive import Archive
from ..store.runs import FAILED, FINISHED, STOPPED
from .fleet import HEARTBEAT_INTERVAL, Fleet, now
from .inflight import InFlight
from .worker import repair_dead_workers_warcs

logger = logging.getLogger(__name__)

GROUP = "archive-writers"
CONSUMER = "archive-writer"
BATCH = 100


class FleetArchive(Archive):
    """An Archive whose page provenance names the worker that fetched the page."""

    worker: str | None = None

    def record_page(self, **fields) -> None:
        fields.setdefault("worker", self.worker)
        super().record_page(**fields)


@dataclass
class WriterResult:
    run_id: int
    stored: int = 0
    replayed: int = 0  # entries a previous writer had taken but not acknowledged
    counts: dict = field(default_factory=dict)
    errors: int = 0
    status: str = FINISHED
    reason: str | None = None  # why it failed


def ensure_group(client, stream: str) -> None:
    try:
        client.xgroup_create(stream, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def drain(client, *, spider: str, site_url: str, db: Path, media_dir: Path, warc_root: Path,
          command: str, until_settled: bool = False, settle_seconds: float = 2.0,
          progress=None) -> WriterResult:
    """Store the stream's pages until stopped (or, with until_settled, until
    the fleet has nothing left: empty frontier, no worker alive, empty stream)."""
    fleet = Fleet(client, spider)
    stream = fleet.keys.results
    ensure_group(client, stream)
    archive = FleetArchive(db)
    for run_id in archive.mark_abandoned_runs():
        logger.warning("run #%d had been killed; recorded as such", run_id)
    run_id = archive.start_run(spider, site_url, {"distributed": True, "stream": stream}, command=command)
    remove_partial_media(media_dir)
    writer = PageWriter(archive, site=spider, run_id=run_id, media_dir=media_dir)
    result = WriterResult(run_id=run_id)
    cursor = "0"  # first our own pending entries (a killed writer's), then new ones
    seen_workers = False
    settled_since = None
    in_flight = InFlight(client, fleet.keys)
    looked_for_dead = 0.0
    try:
        while True:
            reply = client.xreadgroup(GROUP, CONSUMER, {stream: cursor}, count=BATCH,
                                      block=None if cursor == "0" else 500)
            entries = reply[0][1] if reply else []
            if cursor == "0" and not entries:
                cursor = ">"
                continue
            for entry_id, fields in entries:
                if fields:  # an entry deleted before it was acknowledged has no fields
                    archive.worker = fields[b"worker"].decode()
                    try:
                        item = pickle.loads(fields[b"item"])
                    except Exception as exc:  # not a page a worker of this version wrote
                        archive.record_error(url=f"redis:{stream}/{entry_id.decode()}", stage="stream",
                                             reason=f"unreadable entry: {type(exc).__name__}", crawl_run_id=run_id)
                        writer.errors += 1
                    else:
                        writer.write(item)
                        result.stored += 1
                        result.replayed += cursor == "0"
                pipe = client.pipeline()  # committed above: now it may leave Redis
                pipe.xack(stream, GROUP, entry_id)
                pipe.xdel(stream, entry_id)
                pipe.execute()
            client.set(fleet.keys.writer, json.dumps({"at": now(), "stored": result.stored,
                                                      "errors": writer.errors}), ex=10)
            if time.monotonic() - looked_for_dead >= HEARTBEAT_INTERVAL:
                # Workers do this too; the writer does it when none is left.
                looked_for_dead = time.monotonic()
                returned = in_flight.return_dead()
                if returned:
                    logger.info("%d requests of dead workers returned to the frontier", returned)
            if progress and entries:
                progress(result)
            if not until_settled or entries:
                settled_since = None
                continue
            seen_workers = seen_workers or result.stored > 0 or writer.errors > 0 or bool(fleet.alive())
            if seen_workers and fleet.settled() and client.xlen(stream) == 0:
                settled_since = settled_since or time.monotonic()
                if time.monotonic() - settled_since >= settle_seconds:
                    break
            else:
                settled_since = None
    except KeyboardInterrupt:
        result.status = STOPPED
    except (OSError, sqlite3.Error) as exc:  # disk full, a broken file: stop with one line
        result.status = FAILED
        result.reason = describe_io_error(exc, db)
    finally:
        result.counts = dict(writer.counts)
        result.errors = writer.errors
        repair_dead_workers_warcs(warc_root, set(fleet.alive()))
        reason = {FINISHED: None, STOPPED: "stopped by a signal (Ctrl-C or SIGTERM): the stream keeps the rest"}
        try:
            archive.finish_run(run_id, result.status, reason=reason.get(result.status, result.reason))
        except (OSError, sqlite3.Error) as exc:  # the disk is still full: the next writer says "killed"
            logger.warning("could not record how run #%s ended: %s", run_id, exc)
        archive.close()
        client.delete(fleet.keys.writer)
    return result
