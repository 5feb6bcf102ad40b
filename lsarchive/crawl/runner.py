"""Run a crawl from Python (the `lsarchive crawl` command uses this)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from ..store.archive import Archive


@dataclass
class CrawlResult:
    run_id: int | None
    finish_reason: str
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


def job_dir(db: str, spider_name: str) -> Path:
    """Scrapy's JOBDIR for this archive and spider: kept while a crawl is unfinished."""
    return Path(db).resolve().parent / "crawls" / spider_name


def prepare_resume(db: str, spider_name: str, jobdir: Path) -> str | None:
    """Get ready to resume an unfinished crawl; say what will happen, if anything.

    After Ctrl-C, Scrapy's job state is intact and the crawl continues from
    its queue. After kill -9 the queue on disk may be torn (Scrapy writes its
    index only on a clean stop), so it is dropped: the resumed crawl walks the
    listings again and fetches every article the archive does not hold yet.
    """
    if not Path(db).exists():
        return None
    with Archive(db) as archive:
        killed = archive.mark_abandoned_runs(spider_name)
    if killed and jobdir.exists():
        shutil.rmtree(jobdir, ignore_errors=True)
        return "the previous crawl was killed: resuming it from the archive (listings walked again)"
    if jobdir.exists():
        return f"resuming the interrupted crawl (job state in {jobdir})"
    return None


def crawl_settings(*, db: str, verbosity: int, politeness: str, contact_url: str | None,
                   progress: bool, extra: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("lsarchive.crawl.settings", priority="project")
    settings.set("LSARCHIVE_DB", db, priority="cmdline")
    settings.set("LSARCHIVE_POLITENESS", politeness, priority="cmdline")
    settings.set("LSARCHIVE_PROGRESS", progress, priority="cmdline")
    if contact_url:
        settings.set("LSARCHIVE_CONTACT_URL", contact_url, priority="cmdline")
    # Quiet by default: warnings only; -v for Scrapy's INFO, -vv for DEBUG.
    level = {0: "WARNING", 1: "INFO"}.get(verbosity, "DEBUG")
    settings.set("LOG_LEVEL", level, priority="cmdline")
    if verbosity == 0:
        settings.set("LOG_FORMAT", "%(levelname)s: %(message)s", priority="cmdline")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(spider_name: str, site_url: str | None, settings: Settings) -> CrawlResult:
    spider_cls = SpiderLoader.from_settings(settings).load(spider_name)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_cls)
    kwargs = {"site_url": site_url} if site_url else {}
    process.crawl(crawler, **kwargs)
    process.start()
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    stats = crawler.stats.get_stats()
    run_id = getattr(crawler.spider, "crawl_run_id", None)
    counts = {"articles_new": 0, "articles_updated": 0, "articles_unchanged": 0, "errors": 0}
    total = 0
    with Archive(settings.get("LSARCHIVE_DB")) as archive:
        if run_id is not None:
            counts.update(archive.db["crawl_runs"].get(run_id))
        total = archive.article_count()
    finish_reason = stats.get("finish_reason", "unknown")
    jobdir = settings.get("JOBDIR")
    if jobdir and finish_reason == "finished":
        # Done: the next crawl starts afresh (and incrementally), not as a resume.
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
    )
