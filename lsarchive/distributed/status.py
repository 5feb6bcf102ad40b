"""`lsarchive status --redis URL`: what the fleet is doing, from Redis alone."""

from __future__ import annotations

import json

from .fleet import Fleet, Keys
from .inflight import InFlight
from .writer import GROUP


def fleet_status(client, spider: str) -> dict:
    fleet = Fleet(client, spider)
    keys = fleet.keys
    seconds, micros = client.time()
    now_ms = seconds * 1000 + micros // 1000
    hosts = {}
    for host in sorted(h.decode() for h in client.smembers(Keys.HOSTS)):
        hosts[host] = client.zcount(Keys.recent(host), now_ms - 60_000, "+inf")
    pending = 0
    try:
        for group in client.xinfo_groups(keys.results):
            if group["name"] in (GROUP, GROUP.encode()):
                pending = group["pending"]
    except Exception:  # no stream yet
        pass
    writer = client.get(keys.writer)
    workers = fleet.alive()
    return {
        "spider": spider,
        "pass": int(client.get(keys.passes) or 0),
        "frontier": fleet.frontier_size(),
        "seen": client.scard(keys.dupefilter),
        "workers": workers,
        "in_flight": sum(InFlight(client, keys).counts().values()),
        "returned": int(client.get(keys.returned) or 0),
        "requests_last_minute": hosts,
        "stream_backlog": client.xlen(keys.results),
        "stream_pending": pending,
        "writer": json.loads(writer) if writer else None,
        "errors": sum(w.get("errors", 0) for w in workers.values())
        + (json.loads(writer).get("errors", 0) if writer else 0),
    }


def format_status(status: dict) -> str:
    lines = [f"{status['spider']}: pass {status['pass']}, {status['frontier']:,} requests queued, "
             f"{status['seen']:,} asked for this pass"]
    workers = status["workers"]
    lines.append(f"workers alive: {len(workers)}")
    for name, state in workers.items():
        lines.append(f"  {name}: {'busy' if state.get('busy') else 'idle'}, "
                     f"{state.get('pages', 0):,} pages, {state.get('errors', 0):,} errors")
    lines.append(f"requests in flight: {status['in_flight']:,}; "
                 f"returned to the frontier from dead workers this pass: {status['returned']:,}")
    lines.append("requests in the last minute: " + (", ".join(
        f"{host} {count:,}" for host, count in status["requests_last_minute"].items()) or "none"))
    writer = status["writer"]
    lines.append(f"stream backlog: {status['stream_backlog']:,} pages ({status['stream_pending']:,} being stored); "
                 + (f"writer alive, {writer['stored']:,} stored" if writer else "no writer alive"))
    lines.append(f"errors: {status['errors']:,} (fetch and media errors of live workers, store errors of the writer)")
    return "\n".join(lines)
