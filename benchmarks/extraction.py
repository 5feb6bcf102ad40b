"""Extraction speed: our extractor vs trafilatura.extract vs bare lxml parsing,
on the same mirror article pages, alternating, medians of several rounds."""

from __future__ import annotations

import time

from .common import median

TOOLS = ("lsarchive", "trafilatura", "lxml")


def mirror_pages(count: int, seed: int = 1) -> list[tuple[str, bytes]]:
    from lsarchive.mirror import MirrorSite

    site = MirrorSite(articles=count, seed=seed)
    pages = []
    for node_id in site.node_ids()[:count]:
        status, _, body = site.handle("GET", f"/tpls/node/{node_id}", {})
        assert status == 200
        pages.append((f"http://127.0.0.1:8000/tpls/node/{node_id}", body))
    return pages


def tool_function(name: str):
    if name == "lsarchive":
        from lsarchive.extract import extract_article

        return lambda url, body: extract_article(body, url)
    if name == "trafilatura":
        import trafilatura

        return lambda url, body: trafilatura.extract(body, url=url, include_tables=True)
    if name == "lxml":
        import lxml.html

        return lambda url, body: lxml.html.fromstring(body)
    raise ValueError(name)


def run(pages_count: int = 1000, rounds: int = 5, log=print) -> dict:
    pages = mirror_pages(pages_count)
    functions = {name: tool_function(name) for name in TOOLS}
    timings: dict[str, list[float]] = {name: [] for name in TOOLS}
    for round_number in range(rounds):
        # Rotate the order each round so no tool always runs first (warm caches, turbo).
        order = TOOLS[round_number % 3:] + TOOLS[: round_number % 3]
        for name in order:
            function = functions[name]
            started = time.perf_counter()
            for url, body in pages:
                function(url, body)
            timings[name].append(time.perf_counter() - started)
        log(f"  extraction round {round_number + 1}/{rounds}: "
            + ", ".join(f"{n} {len(pages) / timings[n][-1]:.0f} p/s" for n in TOOLS))
    rates = {name: len(pages) / median(values) for name, values in timings.items()}
    return {
        "pages": len(pages), "rounds": rounds,
        "pages_per_second": rates,
        "ratio_vs_trafilatura": rates["lsarchive"] / rates["trafilatura"],
        "lxml_over_ours": rates["lxml"] / rates["lsarchive"],
    }


if __name__ == "__main__":  # python -m benchmarks.extraction
    import json

    print(json.dumps(run(), indent=2))
