"""Run every benchmark and write docs/performance.md.

    make bench                                   # everything: 1k, 10k, 100k articles (about 40 min)
    .venv/bin/python -m benchmarks.run --quick   # 1k and 10k only, fewer rounds

Each comparison runs both sides in this one run, alternating, and reports
medians and the ratio: these machines are noisy, figures from different
runs are not comparable.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from . import crawl, distributed, extraction, search
from .common import REPO, machine_description

TARGETS = {
    "extraction_vs_trafilatura": 10.0,  # at least 10x trafilatura's pages/s
    "extraction_vs_lxml": 3.0,          # within 3x of bare lxml parsing
    "crawl_vs_scrapy_bench": 1.0,       # articles/s at least scrapy bench's pages/s
    "growth_10x": 11.0,                 # 100k time / 10k time at most 11
    "peak_rss_mb": 500.0,               # at 100k
    "search_p95_ms": 20.0,              # at 100k: the library call and Datasette's JSON API
    "search_page_p95_ms": 300.0,        # at 100k: a searched HTML page with its facets, first asked
    "search_process_p95_ms": 200.0,     # at 10k: `lsarchive search` as a whole command
    # distributed crawling: speed-ups at 2 and 4 workers, in benchmarks/distributed.py
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k articles, fewer rounds.")
    parser.add_argument("--sizes", default=None, help="Comma-separated crawl sizes (default 1000,10000,100000).")
    parser.add_argument("--output", default=str(REPO / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (
        (1000, 10000) if args.quick else (1000, 10000, 100000))
    started = time.monotonic()
    log = lambda message: print(message, flush=True)  # noqa: E731
    workdir = Path(tempfile.mkdtemp(prefix="lsarchive-bench-"))
    log("extraction…")
    extraction_result = extraction.run(rounds=3 if args.quick else 5, log=log)
    log("crawl…")
    crawl_result = crawl.run(sizes, repeats_small=2 if args.quick else 3, log=log, keep=workdir)
    log("search…")
    search_dbs = {n: r["db"] for n, r in crawl_result["crawls"].items() if n >= 10000}
    search_result = search.run(search_dbs, log=log)
    log("distributed…")
    distributed_result = distributed.run(rounds=1 if args.quick else 2, log=log)
    results = {"extraction": extraction_result, "crawl": crawl_result, "search": search_result,
               "distributed": distributed_result,
               "seconds": time.monotonic() - started, "sizes": sizes}
    Path(args.output).write_text(render(results, " ".join(["make bench"] if not argv else ["python -m benchmarks.run", *argv])))
    (REPO / "benchmarks" / "last-results.json").write_text(json.dumps(results, indent=2, default=str))
    log(f"wrote {args.output} in {results['seconds'] / 60:.1f} min")


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def render(results: dict, command: str) -> str:
    ex, cr, se = results["extraction"], results["crawl"], results["search"]
    rates = ex["pages_per_second"]
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine_description()}.",
        f"Command: `{command}` ({results['seconds'] / 60:.0f} min). Every comparison ran both sides in",
        "this one run, alternating; figures are medians. Regenerate this page with the same command.",
        "",
        "## Extraction",
        "",
        f"{ex['pages']:,} article pages of the mirror, {ex['rounds']} rounds, the tools' order rotated each round.",
        "",
        "| tool | pages/s |",
        "| --- | ---: |",
        *(f"| {name} | {rate:,.0f} |" for name, rate in rates.items()),
        "",
        f"- ours / trafilatura.extract: **{ex['ratio_vs_trafilatura']:.1f}×** (target ≥ 10×: "
        f"{verdict(ex['ratio_vs_trafilatura'] >= TARGETS['extraction_vs_trafilatura'])})",
        f"- bare lxml.html.fromstring / ours: **{ex['lxml_over_ours']:.2f}×** (target ≤ 3×: "
        f"{verdict(ex['lxml_over_ours'] <= TARGETS['extraction_vs_lxml'])})",
        "",
        "## Crawl end to end",
        "",
        "`lsarchive crawl --no-media` against `lsarchive mirror` in another process on 127.0.0.1,",
        "politeness off (loopback): download, extract, store, WARC. `scrapy bench` ran between the crawls;",
        f"its median: **{cr['scrapy_bench_pages_per_second']:,.0f} pages/s** "
        f"(runs: {', '.join(f'{r:.0f}' for r in cr['scrapy_bench_runs'])}).",
        "",
        "| articles | seconds | articles/s | ÷ scrapy bench | peak RSS MB | archive B/article | WARC B/article | requests | recrawl requests | recrawl s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, r in sorted(cr["crawls"].items()):
        lines.append(
            f"| {n:,} | {r['seconds']:.1f} | {r['articles_per_second']:.0f} | {r['ratio_vs_scrapy_bench']:.2f} | "
            f"{r['peak_rss_mb']:.0f} | {r['archive_bytes_per_article']:,.0f} | {r['warc_bytes_per_article']:,.0f} | "
            f"{r['requests']:,} | {r['recrawl_requests']:,} | {r['recrawl_seconds']:.1f} |"
        )
    crawls = cr["crawls"]
    largest = crawls[max(crawls)]
    lines += [
        "",
        f"- crawl articles/s ÷ scrapy bench pages/s at {max(crawls):,}: **{largest['ratio_vs_scrapy_bench']:.2f}** "
        f"(target ≥ 1.0: {verdict(largest['ratio_vs_scrapy_bench'] >= TARGETS['crawl_vs_scrapy_bench'])})",
    ]
    if cr.get("growth_last_over_previous"):
        sizes = sorted(crawls)
        lines.append(
            f"- growth: time at {sizes[-1]:,} ÷ time at {sizes[-2]:,} = **{cr['growth_last_over_previous']:.1f}** "
            f"(target ≤ 11: {verdict(cr['growth_last_over_previous'] <= TARGETS['growth_10x'])})")
    lines.append(
        f"- peak RSS at {max(crawls):,}: **{largest['peak_rss_mb']:.0f} MB** (target ≤ 500 MB: "
        f"{verdict(largest['peak_rss_mb'] <= TARGETS['peak_rss_mb'])})")
    lines += [
        "- incremental: the recrawl of an unchanged archive sends the requests in the last columns",
        "  (robots.txt, home, first listing page of each section) instead of the full crawl's.",
        "",
        "## Search",
        "",
        f"{len(search.QUERIES)} queries (with and without diacritics, phrases, rare and common words), "
        "each run 10 times, limit 20.",
        "Library: the `search()` call that `lsarchive search` makes (without the Python start-up of the",
        "command); \"bm25 only\": the ranking before phrase and tone ranking, as a yardstick of its cost.",
        "Datasette: `GET /archive/articles.json?_search=…&_size=20&_shape=array&_nofacet=1` on `lsarchive serve`,",
        "over HTTP; the HTML page is `GET /archive/articles?_search=…` for four common words (section, year,",
        "month and credited-person facets plus the row count), first asked on a fresh server (3 servers), then",
        "asked again (3 repeats; the count and facets are kept until the archive changes). Process:",
        "`lsarchive search` run 20 times as a whole command.",
        "",
        "| articles | library p50 ms | library p95 ms | bm25 only p95 ms | Datasette p50 ms | Datasette p95 ms | HTML page, first p50 / p95 ms | HTML page again p50 ms | p95 ms | `lsarchive search` process p50 ms | p95 ms | FTS index B/article (folded + exact + titles + folded titles) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {int(n):,} | {r['library_p50_ms']:.1f} | {r['library_p95_ms']:.1f} | {r.get('bm25_only_p95_ms', float('nan')):.1f} | "
          f"{r['datasette_p50_ms']:.1f} | {r['datasette_p95_ms']:.1f} | "
          f"{r.get('datasette_facets_first_p50_ms', float('nan')):.0f} / {r.get('datasette_facets_first_p95_ms', float('nan')):.0f} | "
          f"{r['datasette_facets_p50_ms']:.0f} | "
          f"{r['datasette_facets_p95_ms']:.0f} | {r.get('process_p50_ms', float('nan')):.0f} | "
          f"{r.get('process_p95_ms', float('nan')):.0f} | "
          f"{' + '.join(f'{v:,.0f}' for v in r.get('index_bytes_per_article', {}).values())} |"
          for n, r in sorted(se.items(), key=lambda kv: int(kv[0]))),
        "",
    ]
    if se:
        top = se[max(se, key=int)]
        lines.append(f"- p95 at {max(se, key=int):,} (library): **{top['library_p95_ms']:.1f} ms** (target ≤ 20 ms: "
                     f"{verdict(top['library_p95_ms'] <= TARGETS['search_p95_ms'])})")
        lines.append(f"- p95 at {max(se, key=int):,} (Datasette's JSON API): **{top['datasette_p95_ms']:.1f} ms** "
                     f"(target ≤ 20 ms: {verdict(top['datasette_p95_ms'] <= TARGETS['search_p95_ms'])})")
        first = top.get("datasette_facets_first_p95_ms")
        if first is not None:
            lines.append(f"- p95 at {max(se, key=int):,} (a searched HTML page with facets, first asked): "
                         f"**{first:.0f} ms** (target ≤ 300 ms: {verdict(first <= TARGETS['search_page_p95_ms'])})")
        process = se.get(10000, se.get("10000", {})).get("process_p95_ms")
        if process is not None:
            lines.append(f"- p95 at 10,000 (`lsarchive search` as a command): **{process:.0f} ms** "
                         f"(target ≤ 200 ms: {verdict(process <= TARGETS['search_process_p95_ms'])})")
        lines.append("")
    # Earlier measurements and before/after comparisons of the search work, kept across regenerations.
    for name in ("search-notes.md", "search-relevance.md"):
        path = REPO / "benchmarks" / name
        if path.exists():
            lines += [path.read_text().strip(), ""]
    if results.get("distributed"):
        lines += ["", *distributed.render(results["distributed"])]
    lines += ["", "## Profile findings", ""]
    notes = REPO / "benchmarks" / "profile-notes.md"
    lines.append(notes.read_text().strip() if notes.exists() else "(no profile notes yet)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
