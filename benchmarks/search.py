"""Search latency: 20 representative queries, through the library call that
`lsarchive search` makes and through Datasette's JSON API."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request

from .common import LSARCHIVE, free_port, percentile, wait_for

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


def datasette_latencies(db: str, repeats: int, facets: bool = False) -> list[float]:
    """The JSON API a client would call for search hits (`_nofacet=1`), or,
    with facets=True, what the HTML table page also computes (facets, count)."""
    port = free_port()
    server = subprocess.Popen([*LSARCHIVE, "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/archive/articles.json"
        wait_for(base + "?_size=1")
        def get(query):
            params = {"_search": query, "_size": 20, "_shape": "objects" if facets else "array"}
            if not facets:
                params["_nofacet"] = 1
            url = base + "?" + urllib.parse.urlencode(params)
            with urllib.request.urlopen(url, timeout=60) as response:
                json.load(response)
        for query in QUERIES:
            get(query)
        latencies = []
        for _ in range(repeats):
            for query in QUERIES:
                started = time.perf_counter()
                get(query)
                latencies.append((time.perf_counter() - started) * 1000)
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(dbs: dict[int, str], repeats: int = 10, log=print) -> dict:
    results = {}
    for articles, db in sorted(dbs.items()):
        library, api = [], []
        # Alternate the two paths, so that neither gets the quieter moments.
        for _ in range(2):
            library += library_latencies(db, repeats // 2)
            api += datasette_latencies(db, repeats // 2)
        with_facets = datasette_latencies(db, 2, facets=True)
        results[articles] = {
            "library_p50_ms": percentile(library, 50), "library_p95_ms": percentile(library, 95),
            "datasette_p50_ms": percentile(api, 50), "datasette_p95_ms": percentile(api, 95),
            "datasette_facets_p50_ms": percentile(with_facets, 50),
            "datasette_facets_p95_ms": percentile(with_facets, 95),
        }
        log(f"  search at {articles:,}: library p95 {results[articles]['library_p95_ms']:.1f} ms, "
            f"datasette p95 {results[articles]['datasette_p95_ms']:.1f} ms")
    return results
