"""Crawl end to end (download, extract, store, WARC) against the mirror on
127.0.0.1, politeness off, beside `scrapy bench` in the same run; then the
recrawl of the unchanged archive (incremental)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from .common import LSARCHIVE, PYTHON, median, mirror_process, run_child


def scrapy_bench(seconds: int = 10) -> float:
    """Pages per second of `scrapy bench` (Scrapy's own spider and server),
    run outside the project so that none of our settings apply."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [PYTHON, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOG_LEVEL=INFO"],
            capture_output=True, text=True, cwd=folder, timeout=seconds + 120,
        )
    text = out.stdout + out.stderr
    pages = int(re.search(r"'response_received_count': (\d+)", text).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", text).group(1))
    return pages / elapsed


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def crawl_once(articles: int, workdir: Path, log=print) -> dict:
    db = workdir / f"bench-{articles}.db"
    with mirror_process(articles) as base_url:
        args = [*LSARCHIVE, "crawl", "--site-url", base_url, "--db", str(db), "--no-media", "--no-progress"]
        first = run_child(args)
        if first.returncode != 0:
            raise RuntimeError(f"crawl of {articles} articles failed: {first.stdout[-500:]}")
        again = run_child(args)
    conn = sqlite3.connect(db)
    archived = conn.execute("select count(*) from articles").fetchone()[0]
    requests = [r for (r,) in conn.execute("select pages_fetched from crawl_runs order by id")]
    conn.close()
    db_bytes = sum(p.stat().st_size for p in workdir.glob(f"bench-{articles}.db*"))
    warc_bytes = folder_bytes(workdir / "warcs")
    result = {
        "articles": articles, "archived": archived, "db": str(db),
        "seconds": first.seconds, "articles_per_second": archived / first.seconds,
        "peak_rss_mb": first.peak_rss_mb,
        "archive_bytes_per_article": db_bytes / archived,
        "warc_bytes_per_article": warc_bytes / archived,
        "requests": requests[0],
        "recrawl_requests": requests[1], "recrawl_seconds": again.seconds,
    }
    log(f"  crawl {articles:,}: {result['articles_per_second']:.0f} articles/s, "
        f"{result['peak_rss_mb']:.0f} MB peak, recrawl {result['recrawl_requests']} requests "
        f"in {again.seconds:.1f} s")
    return result


def run(sizes=(1000, 10000, 100000), repeats_small: int = 3, log=print, keep: Path | None = None) -> dict:
    """Alternate scrapy bench and our crawls; keep the archives for the search benchmark."""
    bench_rates, crawls = [], {}
    for articles in sizes:
        repeats = repeats_small if articles <= 1000 else 1
        runs = []
        for _ in range(repeats):
            bench_rates.append(scrapy_bench())
            log(f"  scrapy bench: {bench_rates[-1]:.0f} pages/s")
            workdir = Path(tempfile.mkdtemp(prefix=f"lsarchive-bench-{articles}-", dir=keep))
            runs.append(crawl_once(articles, workdir, log))
        best = sorted(runs, key=lambda r: r["articles_per_second"])[len(runs) // 2]  # the median run
        best["articles_per_second_runs"] = [r["articles_per_second"] for r in runs]
        crawls[articles] = best
    bench_rates.append(scrapy_bench())
    bench = median(bench_rates)
    for result in crawls.values():
        result["ratio_vs_scrapy_bench"] = result["articles_per_second"] / bench
    times = {n: r["seconds"] for n, r in crawls.items()}
    growth = times[max(times)] / times[sorted(times)[-2]] if len(times) > 1 else None
    return {"scrapy_bench_pages_per_second": bench, "scrapy_bench_runs": bench_rates,
            "crawls": crawls, "growth_last_over_previous": growth}
