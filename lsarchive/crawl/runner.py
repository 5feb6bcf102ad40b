"""Run a crawl from Python (the `lsarchive crawl` command uses this)."""

from __future__ import annotations

import json
import logging
import pickle
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlite_utils.db import NotFoundError

from ..store.archive import Archive
from ..store.runs import STOPPED
from .spider import PortalSpider


@dataclass
class CrawlResult:
    run_id: int | None
    finish_reason: str  # Scrapy's: finished, shutdown, or "failed: why"
    pages: int
    new: int
    updated: int
    unchanged: int
    errors: int
    seconds: float
    total: int
    errors_by_stage: dict[str, int] = field(default_factory=dict)
    """Failed pages by stage (fetch, size, offsite, decode, extract...), as recorded."""
    refused: int = 0
    """Requests refused because they led outside the site."""
    non_articles: int = 0
    """Pages met as articles that were none (listings, soft 404s): not errors."""


def job_dir(db: str, spider_name: str) -> Path:
    """Scrapy's JOBDIR for this archive and spider: kept while a crawl is unfinished."""
    return Path(db).resolve().parent / "crawls" / spider_name


JOB_NOTE = "lsarchive-job.json"  # what the job state was made for


def prepare_resume(db: str, spider_name: str, jobdir: Path, site_url: str) -> list[str]:
    """Decide whether Scrapy's job state is worth resuming; say what happens.

    Only a crawl that stopped gracefully (Ctrl-C, SIGTERM) leaves a job state
    to trust: Scrapy wrote its queue on the way out. After kill -9, a failure
    (disk full), for another base URL, or when the state cannot be read, it is
    dropped, and the crawl carries on from what the archive proves it holds
    (store/coverage.py): nothing is lost, listings may be walked again.
    Call with the archive's lock held.
    """
    notes = []
    last = None
    if Path(db).exists():
        with Archive(db) as archive:
            killed = archive.mark_abandoned_runs()
            if killed:
                notes.append(f"run #{killed[-1]} had been killed: carrying on from what the archive holds")
            last = archive.last_run(spider_name)
    if not jobdir.exists():
        return notes
    problem = job_state_problem(jobdir, site_url, last)
    if problem:
        shutil.rmtree(jobdir, ignore_errors=True)
        notes.append(f"not resuming the saved job state ({problem}); "
                     "carrying on from what the archive holds")
    else:
        notes.append(f"resuming the interrupted crawl (job state in {jobdir})")
    return notes


def job_state_problem(jobdir: Path, site_url: str, last_run: dict | None) -> str | None:
    """Why the job state in `jobdir` must not be resumed, or None."""
    if last_run is None or last_run["status"] != STOPPED:
        status = last_run["status"] if last_run else "unknown"
        return f"the run that left it ended {status}, not stopped gracefully"
    try:
        note = json.loads((jobdir / JOB_NOTE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "it says nothing of what it was made for"
    if note.get("site_url") != site_url:
        return f"it was made for {note.get('site_url')}, not {site_url}"
    try:
        active = jobdir / "requests.queue" / "active.json"
        if active.exists():
            json.loads(active.read_text(encoding="utf-8"))
        state = jobdir / "spider.state"
        if state.exists():
            with open(state, "rb") as handle:
                pickle.load(handle)
    except Exception as exc:  # torn or empty files: any unpickling error
        return f"it cannot be read: {type(exc).__name__}"
    return None


def note_job(jobdir: Path, site_url: str) -> None:
    jobdir.mkdir(parents=True, exist_ok=True)
    (jobdir / JOB_NOTE).write_text(json.dumps({"site_url": site_url}), encoding="utf-8")


QUIET_LOG_FORMAT = "%(levelname)s: %(message)s"


def crawl_settings(*, db: str, verbosity: int, politeness: str, contact_url: str | None,
                   progress: bool, extra: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("lsarchive.crawl.settings", priority="project")
    settings.set("LSARCHIVE_DB", db, priority="cmdline")
    # The spider class is handed to Scrapy (run_crawl): no spiders/ folder to import.
    settings.set("SPIDER_MODULES", [], priority="cmdline")
    settings.set("LSARCHIVE_POLITENESS", politeness, priority="cmdline")
    settings.set("LSARCHIVE_PROGRESS", progress, priority="cmdline")
    if contact_url:
        settings.set("LSARCHIVE_CONTACT_URL", contact_url, priority="cmdline")
    # Quiet by default: warnings only; -v for Scrapy's INFO, -vv for DEBUG.
    level = {0: "WARNING", 1: "INFO"}.get(verbosity, "DEBUG")
    settings.set("LOG_LEVEL", level, priority="cmdline")
    if verbosity == 0:
        settings.set("LOG_FORMAT", QUIET_LOG_FORMAT, priority="cmdline")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"),
                                    "lsarchive.crawl.extensions.QuietLog": 0}, priority="cmdline")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(sites: str, site_url: str | None, settings: Settings) -> CrawlResult:
    """Crawl `sites` (names, comma-separated, or `all`) in one run of the
    portal spider, built here so `lsarchive crawl` works from any folder."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    kwargs = {"site": sites, **({"site_url": site_url} if site_url else {})}
    process.crawl(crawler, **kwargs)
    process.start()
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    stats = crawler.stats.get_stats()
    run_id = getattr(crawler.spider, "crawl_run_id", None)
    counts = {"articles_new": 0, "articles_updated": 0, "articles_unchanged": 0, "errors": 0}
    total = 0
    try:
        with Archive(settings.get("LSARCHIVE_DB"), readonly=True) as archive:
            if run_id is not None:
                counts.update(archive.db["crawl_runs"].get(run_id))
            total = archive.article_count()
    except (OSError, sqlite3.Error, NotFoundError):
        pass  # the summary says less; the archive itself is intact
    # What this process counted; the run's row says the same unless the disk
    # was too full to write it.
    for name in ("articles_new", "articles_updated", "articles_unchanged"):
        counts[name] = max(counts[name] or 0, stats.get(f"lsarchive/{name}", 0))
    finish_reason = stats.get("finish_reason", "unknown")
    jobdir = settings.get("JOBDIR")
    if jobdir and finish_reason != "shutdown":
        # Finished, or failed (its queue may be torn): the next crawl starts
        # from the archive's coverage, not from this job state.
        shutil.rmtree(jobdir, ignore_errors=True)
    elapsed = stats.get("elapsed_time_seconds") or 0.0
    return CrawlResult(
        run_id=run_id,
        finish_reason=finish_reason,
        pages=stats.get("response_received_count", 0),
        new=counts["articles_new"], updated=counts["articles_updated"],
        unchanged=counts["articles_unchanged"], errors=counts["errors"],
        seconds=elapsed, total=total,
        errors_by_stage={key.rsplit("/", 1)[1]: value for key, value in sorted(stats.items())
                         if key.startswith("lsarchive/errors/")},
        refused=stats.get("offsite/filtered", 0),
        non_articles=stats.get("lsarchive/non_articles", 0),
    )
