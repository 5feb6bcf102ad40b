"""Distributed crawling: throughput with 1, 2 and 4 workers, Redis memory per
100,000 queued URLs.

    .venv/bin/python -m benchmarks.distributed            # and update docs/performance.md
    .venv/bin/python -m benchmarks.distributed --articles 300 --rounds 1

Workers (`lsarchive crawl --redis`) and one writer (`lsarchive write`) run as
processes against `lsarchive mirror --latency 50ms` in its own process, with
politeness off (loopback) and a few requests in flight per worker, so that a
worker is bound by the network, as against a distant portal, not by the CPU.
Throughput is pages pushed to the result stream per second between the first
page and the last (Redis's `entries-added` counter, polled every 0.1 s), so
process start-up and the fleet's idle grace at the end are not counted. The
worker counts alternate within each round; figures are medians.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import LSARCHIVE, REPO, free_port, median, mirror_process

WORKER_COUNTS = (1, 2, 4)
TARGETS = {2: 1.8, 4: 3.2}


def start_redis(folder: Path):
    import redis

    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return process, client, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def crawl_once(workers: int, base_url: str, client, redis_url: str, folder: Path, concurrency: int) -> dict:
    client.flushall()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder}
    writer = subprocess.Popen([*LSARCHIVE, "write", "--redis", redis_url, "--db", "archive.db", "--until-settled"],
                              **quiet)
    started = time.monotonic()
    processes = [subprocess.Popen([*LSARCHIVE, "crawl", "--redis", redis_url, "--worker", f"w{n}",
                                   "--site-url", base_url, "--db", "archive.db", "--no-media", "--no-progress",
                                   "--concurrency", str(concurrency)], **quiet) for n in range(workers)]
    first = last = None
    count = 0
    while any(p.poll() is None for p in processes):
        try:
            added = client.xinfo_stream("lsarchive:tpls:results")["entries-added"]
        except Exception:  # no stream yet
            added = 0
        moment = time.monotonic()
        if added and first is None:
            first, first_count = moment, added
        if added > count:
            count, last = added, moment
        time.sleep(0.1)
    wall = time.monotonic() - started
    writer.wait(timeout=300)
    pages = count - first_count
    return {"workers": workers, "pages": count, "pages_per_second": pages / (last - first),
            "wall_seconds": wall, "returncodes": [p.returncode for p in processes] + [writer.returncode]}


def redis_memory_per_100k(client) -> dict:
    """INFO memory before and after queueing 100,000 article requests as a
    worker does (the request in scrapy-redis's queue, its fingerprint in the
    duplicate filter)."""
    import scrapy
    from scrapy.spiderloader import SpiderLoader
    from scrapy.settings import Settings
    from scrapy_redis.dupefilter import RFPDupeFilter
    from scrapy_redis.queue import PriorityQueue

    from lsarchive.distributed.fleet import Keys

    client.flushall()
    settings = Settings()
    settings.setmodule("lsarchive.crawl.settings")
    spider = SpiderLoader.from_settings(settings).load("tpls")()
    keys = Keys("tpls")
    queue = PriorityQueue(client, spider, keys.queue)
    seen = RFPDupeFilter(client, keys.dupefilter)
    before = client.info("memory")["used_memory"]
    base = spider.profile.base_url
    for n in range(100_000):
        request = scrapy.Request(f"{base}tin-tuc-su-kien/bai-viet-so-{n}-ve-hoat-dong-cua-thanh-pho",
                                 callback=spider.parse_article, errback=spider.on_error,
                                 cb_kwargs={"section": "Tin tức - Sự kiện"}, priority=-2)
        seen.request_seen(request)
        queue.push(request)
    after = client.info("memory")["used_memory"]
    queue_bytes = client.memory_usage(keys.queue, samples=0)
    seen_bytes = client.memory_usage(keys.dupefilter, samples=0)
    client.flushall()
    return {"used_memory_mb": (after - before) / 2**20, "queue_mb": queue_bytes / 2**20,
            "dupefilter_mb": seen_bytes / 2**20}


def run(articles: int = 600, rounds: int = 2, concurrency: int = 1, log=print) -> dict:
    work = Path(tempfile.mkdtemp(prefix="lsarchive-bench-distributed-"))
    redis_process, client, redis_url = start_redis(work)
    runs: dict[int, list[dict]] = {n: [] for n in WORKER_COUNTS}
    try:
        with mirror_process(articles, latency="50ms") as base_url:
            for round_number in range(rounds):
                order = WORKER_COUNTS if round_number % 2 == 0 else tuple(reversed(WORKER_COUNTS))
                for workers in order:
                    result = crawl_once(workers, base_url, client, redis_url, work / "crawl", concurrency)
                    log(f"  {workers} worker(s): {result['pages']:,} pages, "
                        f"{result['pages_per_second']:.1f} pages/s, wall {result['wall_seconds']:.1f} s")
                    runs[workers].append(result)
        memory = redis_memory_per_100k(client)
        log(f"  Redis: {memory['used_memory_mb']:.1f} MB per 100,000 queued URLs")
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    rates = {n: median([r["pages_per_second"] for r in rs]) for n, rs in runs.items()}
    return {"articles": articles, "rounds": rounds, "concurrency": concurrency, "latency_ms": 50,
            "runs": runs, "pages_per_second": rates,
            "speedup": {n: rates[n] / rates[1] for n in WORKER_COUNTS}, "redis": memory}


def render(result: dict) -> list[str]:
    rates, speedup = result["pages_per_second"], result["speedup"]
    lines = [
        "## Distributed crawling",
        "",
        "`lsarchive crawl --redis` workers and one `lsarchive write` against `lsarchive mirror --latency 50ms`",
        f"({result['articles']:,} articles, `--no-media`, politeness off, `--concurrency "
        f"{result['concurrency']}` per worker: each worker is network-bound), a real redis-server, "
        f"{result['rounds']} round(s),",
        "worker counts alternating. Pages/s: pages pushed to the result stream per second between the first",
        "and the last page (start-up and the idle grace at the end not counted). `python -m benchmarks.distributed`.",
        "",
        "| workers | pages/s (median) | runs | speed-up vs 1 | target |",
        "| ---: | ---: | --- | ---: | --- |",
    ]
    for n in WORKER_COUNTS:
        runs = ", ".join(f"{r['pages_per_second']:.1f}" for r in result["runs"][n])
        target = f"≥ {TARGETS[n]}×: {'met' if speedup[n] >= TARGETS[n] else '**not met**'}" if n in TARGETS else ""
        lines.append(f"| {n} | {rates[n]:.1f} | {runs} | {speedup[n]:.2f}× | {target} |")
    memory = result["redis"]
    lines += [
        "",
        "Redis memory per 100,000 queued URLs (article requests as a worker queues them, pickled by",
        f"scrapy-redis, plus their fingerprints in the duplicate filter): **{memory['used_memory_mb']:.1f} MB** "
        f"of `used_memory` (queue {memory['queue_mb']:.1f} MB, duplicate filter {memory['dupefilter_mb']:.1f} MB).",
        "",
    ]
    return lines


def update_doc(lines: list[str], path: Path = REPO / "docs" / "performance.md") -> None:
    """Replace (or add) the section in docs/performance.md, before the profile findings."""
    text = path.read_text()
    section = "\n".join(lines)
    start = text.find("## Distributed crawling")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        anchor = text.find("## Profile findings")
        text = text[:anchor] + section + "\n" + text[anchor:] if anchor >= 0 else text + "\n" + section
    path.write_text(text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args(argv)
    result = run(args.articles, args.rounds, args.concurrency)
    update_doc(render(result))
    print("\n".join(render(result)))


if __name__ == "__main__":
    main()
