"""Search latency: 20 representative queries, through the library call that
`lsarchive search` makes, through Datasette's JSON API and HTML table page
(with its facets), and `lsarchive search` as a whole process.

Search alone, on archives already crawled (`make bench` crawls them first):

    .venv/bin/python -m benchmarks.search 10000=path/to/10k.db 100000=path/to/100k.db

A 100,000-article archive without a 100,000-article crawl (hours on a loaded
machine): a crawl's archive repeated, each copy shifted by whole years (same
vocabulary and word frequencies, ids still in publication order):

    .venv/bin/python -m benchmarks.search --repeat 10k.db 100k.db 10
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

from .common import LSARCHIVE, free_port, percentile, running

QUERIES = [
    "thi dua", "thi đua", "THI ĐUA", "khen thưởng", "khen thuong",
    "ủy ban nhân dân", "uy ban nhan dan", '"hội nghị tổng kết"', '"hoi nghi tong ket"',
    "lễ hội", "le hoi ky cung", "cửa khẩu Hữu Nghị", "cua khau", "Đồng Đăng",
    "nông thôn mới", "trường học", "phường Vĩnh Trại", "biên giới", "giao ước", "tổ chức",
]


def library_latencies(db: str, repeats: int) -> list[float]:
    from lsarchive.store.archive import Archive
    from lsarchive.store.search import search

    archive = Archive(db, readonly=True)
    for query in QUERIES:  # warm the page cache once
        search(archive.db.conn, query, limit=20)
    latencies = []
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            search(archive.db.conn, query, limit=20)
            latencies.append((time.perf_counter() - started) * 1000)
    archive.close()
    return latencies


# A word found in most articles: the HTML page's facets and count cover every match.
COMMON_WORDS = ["thành phố", "thanh pho", "hội nghị", "ủy ban nhân dân"]


# The ranking before relevance (bm25 over the newest 3,000 matches, no phrase or
# tone ranking), kept here as the yardstick of what relevance costs.
BM25_ONLY = """
    with candidates as (
        select rowid, bm25(articles_search_fts, 10.0, 1.0, 3.0) as rank from articles_search_fts
        where articles_search_fts match ? order by rowid desc limit 3000
    ), hits as (select rowid, rank from candidates order by rank limit 20)
    select a.id, a.url, a.title, a.published_at, a.section, a.body, hits.rank
    from hits join articles a on a.id = hits.rowid order by hits.rank, a.published_at desc
"""


def bm25_only_latencies(db: str, repeats: int) -> list[float]:
    from lsarchive.store.search import fts_query, query_words
    try:
        from lsarchive.store.snippets import highlight
    except ImportError:  # a tree from before snippets had a module of their own (search_compare)
        from lsarchive.store.search import highlight

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def search(query):
        for row in conn.execute(BM25_ONLY, [fts_query(query)]).fetchall():
            highlight(row[5], query_words(query))

    for query in QUERIES:
        search(query)
    latencies = []
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            search(query)
            latencies.append((time.perf_counter() - started) * 1000)
    conn.close()
    return latencies


@contextmanager
def served(db: str):
    """`lsarchive serve` on the archive; yields the URL of its articles table."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/archive/articles"
    with running([*LSARCHIVE, "serve", "--db", db, "--port", str(port)], base + ".json?_size=1"):
        yield base


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def datasette_latencies(db: str, repeats: int) -> list[float]:
    """The JSON API a client would call for search hits (`_nofacet=1`)."""
    with served(db) as base:
        def url(query):
            return base + ".json?" + urllib.parse.urlencode(
                {"_search": query, "_size": 20, "_shape": "array", "_nofacet": 1})
        for query in QUERIES:
            timed_get(url(query))
        return [timed_get(url(query)) for _ in range(repeats) for query in QUERIES]


# Common words too, searched first on a fresh server to read the archive into
# the page cache, so that the first request of a COMMON_WORDS search counts
# what a search costs, not what the disk does.
WARM_UP_WORDS = ["nhân dân", "công tác", "tỉnh Lạng Sơn"]


def html_page_latencies(db: str, rounds: int, repeats: int = 3) -> tuple[list[float], list[float]]:
    """The HTML table page a reader opens for a common word (facets, count,
    ranked rows): (the first request of each search on a fresh server,
    the same searches asked again)."""
    from lsarchive.store.search import fts_query

    # "thanh pho" is "thành phố" for the index (the same matches, so the same
    # kept counts): only the first of such searches counts as asked first.
    first_asked = list({fts_query(query): query for query in reversed(COMMON_WORDS)}.values())
    first, again = [], []
    for _ in range(rounds):
        with served(db) as base:
            def url(query):
                return base + "?" + urllib.parse.urlencode({"_search": query})
            for query in WARM_UP_WORDS:
                timed_get(url(query))
            for query in COMMON_WORDS:
                latency = timed_get(url(query))
                if query in first_asked:
                    first.append(latency)
            again += [timed_get(url(query)) for _ in range(repeats) for query in COMMON_WORDS]
    return first, again


def process_latencies(db: str, repeats: int) -> list[float]:
    """`lsarchive search QUERY` as a whole process: start-up, search, output."""
    command = [sys.executable,
               "-m", "lsarchive.cli", "search", "--db", db, "--limit", "20"]
    latencies = []
    for n in range(repeats):
        query = QUERIES[n % len(QUERIES)]
        started = time.perf_counter()
        subprocess.run([*command, query], check=True, capture_output=True)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def index_bytes_per_article(db: str) -> dict[str, float]:
    """Size of each full-text index (its shadow tables) per article, from the file's pages."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        articles = conn.execute("select count(*) from articles").fetchone()[0] or 1
        page_size = conn.execute("pragma page_size").fetchone()[0]
        sizes = {}
        for fts in ("articles_search_fts", "articles_exact_fts", "articles_title_fts", "articles_title_folded_fts"):
            try:
                pages = conn.execute(
                    "select sum(pageno) from (select count(*) as pageno from dbstat where name like ?)",
                    [fts + "_%"]).fetchone()[0] or 0
            except sqlite3.OperationalError:  # SQLite without dbstat
                return {}
            sizes[fts] = pages * page_size / articles
        return sizes
    finally:
        conn.close()


def run(dbs: dict[int, str], repeats: int = 10, log=print) -> dict:
    results = {}
    for articles, db in sorted(dbs.items()):
        load_before = os.getloadavg()[0]
        library, bm25_only, api = [], [], []
        # Alternate the paths, so that none gets the quieter moments.
        for _ in range(2):
            library += library_latencies(db, repeats // 2)
            bm25_only += bm25_only_latencies(db, repeats // 2)
            api += datasette_latencies(db, repeats // 2)
        first_page, page_again = html_page_latencies(db, rounds=3)
        process = process_latencies(db, 20)
        results[articles] = {
            "process_p50_ms": percentile(process, 50), "process_p95_ms": percentile(process, 95),
            "index_bytes_per_article": index_bytes_per_article(db),
            "library_p50_ms": percentile(library, 50), "library_p95_ms": percentile(library, 95),
            "bm25_only_p50_ms": percentile(bm25_only, 50), "bm25_only_p95_ms": percentile(bm25_only, 95),
            "datasette_p50_ms": percentile(api, 50), "datasette_p95_ms": percentile(api, 95),
            # The HTML page of a search asked for the first time, and asked again.
            "datasette_facets_first_p50_ms": percentile(first_page, 50),
            "datasette_facets_first_p95_ms": percentile(first_page, 95),
            "datasette_facets_p50_ms": percentile(page_again, 50),
            "datasette_facets_p95_ms": percentile(page_again, 95),
            "load_average": [load_before, os.getloadavg()[0]],
        }
        log(f"  search at {articles:,}: library p95 {results[articles]['library_p95_ms']:.1f} ms, "
            f"datasette p95 {results[articles]['datasette_p95_ms']:.1f} ms")
    return results


def repeat_archive(source: str, target: str, times: int) -> int:
    """Copy `source` to `target` with its articles (and their search rows and
    credits) repeated `times` times in all, each copy shifted by whole years,
    its search indexes merged; returns the number of articles."""
    import shutil

    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    conn.execute("pragma journal_mode = off")
    conn.execute("pragma synchronous = off")
    low, high, last = conn.execute("select min(year), max(year), max(id) from articles").fetchone()
    span = high - low + 1
    for copy in range(1, times):
        years = copy * span
        shift = int(years * 365.2425 * 86400) * 1000

        def shifted(column: str) -> str:  # 'YYYY…' text, `years` later
            return f"printf('%04d', cast(substr({column}, 1, 4) as integer) + {years}) || substr({column}, 5)"

        conn.execute(f"""insert into articles (id, site, key, node_id, url, section, title, published_at,
                published_text, year, month, body, captions, credit_lines, credited_names, attachments,
                image_count, paragraph_count, content_hash, revision, first_archived_at, last_archived_at,
                last_checked_at, crawl_run_id)
            select id + {shift}, site, key || '#{copy}', node_id, url || '#{copy}', section, title,
                {shifted('published_at')}, published_text, year + {years}, {shifted('month')}, body, captions,
                credit_lines, credited_names, attachments, image_count, paragraph_count, content_hash,
                revision, first_archived_at, last_archived_at, last_checked_at, crawl_run_id
            from articles where id <= {last}""")
        conn.execute(f"""insert into articles_search (id, title, url, published_at, title_folded,
                body_folded, captions_folded)
            select id + {shift}, title, url || '#{copy}', {shifted('published_at')}, title_folded,
                body_folded, captions_folded
            from articles_search where id <= {last}""")
        conn.execute(f"""insert into credits (article_id, position, name, roles)
            select article_id + {shift}, position, name, roles from credits where article_id <= {last}""")
        conn.commit()
    count = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    # As a crawl of that many articles leaves them: its search indexes merged.
    from lsarchive.store.archive import Archive

    with Archive(target) as archive:
        archive.merge_search_indexes()
    return count


def main(argv=None) -> None:
    """Search alone on archives given as ARTICLES=PATH; prints the figures as JSON.
    `--repeat SOURCE TARGET TIMES` makes a larger archive instead (see above)."""
    argv = argv if argv is not None else sys.argv[1:]
    if argv[:1] == ["--repeat"]:
        source, target, times = argv[1:4]
        print(f"{target}: {repeat_archive(source, target, int(times)):,} articles")
        return
    dbs = {}
    for arg in argv:
        count, _, path = arg.partition("=")
        dbs[int(count)] = path
    print(json.dumps(run(dbs, log=lambda m: print(m, file=sys.stderr, flush=True)), indent=2))


if __name__ == "__main__":
    main()
