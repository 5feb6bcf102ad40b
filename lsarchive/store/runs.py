"""What the archive says about its runs: crawls, re-extractions and imports.

A run is `running` while it works and ends `finished`, `stopped` (Ctrl-C or
SIGTERM: a graceful stop that can be resumed), `failed` (with the reason:
disk full, an error it could not go past) or `killed` (it never said how it
ended: kill -9, power loss; found by the next writer of the archive). The
counts of a run that could not close itself are reconciled from what it
stored, so `crawl_runs` never credits a run with less than it did.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from contextlib import contextmanager

from .. import __version__
from ..clock import utc_now

FINISHED, STOPPED, KILLED, FAILED, RUNNING = "finished", "stopped", "killed", "failed", "running"

COUNT_COLUMNS = ("pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "errors")

logger = logging.getLogger(__name__)


class RunRecords:
    """Mixed into Archive: crawl_runs and archive_log."""

    def start_run(self, site: str, site_url: str, settings: dict, *, command: str | None = None) -> int:
        with self.transaction():
            return self._insert("crawl_runs", {
                "site": site, "site_url": site_url, "started_at": utc_now(), "status": RUNNING,
                "settings": json.dumps(settings, ensure_ascii=False, default=str),
                "lsarchive_version": __version__, "command": command, "pid": os.getpid(),
                **{name: 0 for name in COUNT_COLUMNS},
            })

    def finish_run(self, run_id: int, status: str, counts: dict | None = None,
                   reason: str | None = None) -> None:
        """Close a run; without `counts`, they are reconciled from what it stored.

        A run that finished (not stopped, failed or killed) and changed much of
        the archive then merges its search indexes (Archive.merge_search_indexes),
        while its writer still holds the archive; if that fails, nothing is lost
        (searches are only slower) and the run stays recorded as it ended."""
        counts = counts if counts is not None else self.stored_counts(run_id)
        with self.transaction():
            self._update("crawl_runs", "id = ?", [run_id], {
                "finished_at": utc_now(), "status": status, "reason": reason, **counts,
            })
        if status == FINISHED:
            try:
                if self.merge_search_indexes(changed=counts.get("articles_new", 0) + counts.get("articles_updated", 0)):
                    logger.info("run #%s: merged the search indexes", run_id)
            except (OSError, sqlite3.Error) as exc:
                logger.warning("run #%s: could not merge the search indexes: %s", run_id, exc)

    @contextmanager
    def recording_run(self, run_id: int):
        """Within it, an interruption ends the run `stopped`, an error `failed` (and goes on)."""
        try:
            yield
        except KeyboardInterrupt:
            self.finish_run(run_id, STOPPED, reason="interrupted (Ctrl-C or SIGTERM)")
            raise
        except Exception as exc:
            self.finish_run(run_id, FAILED, reason=f"{type(exc).__name__}: {exc}")
            raise

    def stored_counts(self, run_id: int) -> dict:
        """A run's counts as the archive holds them (for runs that could not say)."""
        def count(sql: str) -> int:
            return self.db.execute(sql, [run_id]).fetchone()[0]

        return {
            "pages_fetched": count("select count(*) from pages where crawl_run_id = ?"),
            "articles_new": count("select count(*) from revisions where crawl_run_id = ? and revision = 1"),
            "articles_updated": count("select count(*) from revisions where crawl_run_id = ? and revision > 1"),
            "articles_unchanged": count(
                "select count(*) from pages where crawl_run_id = ? and kind = 'article' and article_id is not null "
                "and article_id not in (select article_id from revisions where crawl_run_id = pages.crawl_run_id)"),
            "errors": count("select count(*) from extraction_errors where crawl_run_id = ?"),
            "non_articles": count("select count(*) from pages where crawl_run_id = ? and not_article is not null"),
        }

    def mark_abandoned_runs(self) -> list[int]:
        """Runs still `running` when the archive's lock is taken were killed:
        say so, with the counts of what they stored. Call with the lock held."""
        ids = [row[0] for row in self.db.execute("select id from crawl_runs where status = ?", [RUNNING])]
        for run_id in ids:
            last = self.db.execute("select max(fetched_at) from pages where crawl_run_id = ?", [run_id]).fetchone()[0]
            with self.transaction():
                self._update("crawl_runs", "id = ?", [run_id], {
                    "status": KILLED, "finished_at": last,
                    "reason": "ended without closing (killed, or the machine stopped)",
                    **self.stored_counts(run_id),
                })
        return ids

    def last_run(self, site: str) -> dict | None:
        cursor = self.db.execute("select * from crawl_runs where site = ? order by id desc limit 1", [site])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None

    def log_event(self, event: str, detail: str) -> None:
        """Something an archivist should be able to find later (a lock taken over, a repair)."""
        with self.transaction():
            self._insert("archive_log", {"at": utc_now(), "event": event, "detail": detail})
