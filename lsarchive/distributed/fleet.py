"""The fleet's shared state in Redis: key names, membership, heartbeats, passes.

A *pass* is one walk of the site by the fleet: the duplicate filter holds what
the pass has asked for. The first worker to join an idle fleet (empty
frontier, no live worker) starts a new pass by clearing the duplicate filter,
atomically, so that workers started together make one pass, not several; a
worker joining a pass under way (a restarted one included) just joins it.
Joining a fleet whose frontier is not empty (workers all stopped or killed,
Redis restarted from its append-only file) resumes the pass.

Liveness is a heartbeat key per worker with a TTL: a worker killed with
kill -9 stops being counted once its key expires.
"""

from __future__ import annotations

import json
import os
import socket
import time

HEARTBEAT_TTL = 5  # seconds a worker counts as alive after its last heartbeat
HEARTBEAT_INTERVAL = 1.0


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def outage_params() -> dict:
    """redis-py options that ride out a Redis restart (up to about a minute):
    every command is retried with backoff while the server is away or still
    loading its append-only file, so workers and writer pause, then go on."""
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError
    from redis.retry import Retry

    return {"retry": Retry(ExponentialBackoff(cap=2.0, base=0.05), 40),
            "retry_on_error": [ConnectionError, TimeoutError, BusyLoadingError],
            "socket_timeout": 30, "socket_connect_timeout": 5}


def connect(url: str):
    import redis

    return redis.Redis.from_url(url, health_check_interval=30, **outage_params())


def probe(url: str) -> str | None:
    """Why the Redis at `url` does not answer a PING, or None. One attempt, no
    retries: a Redis that is down when a command starts is an error at once;
    connect()'s minute of retries is for riding out a restart during a run."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=5, socket_timeout=30)
    try:
        client.ping()
    except Exception as exc:
        return str(exc)
    finally:
        client.close()
    return None


class Keys:
    """Every Redis key lsarchive uses, in one place (scrapy-redis gets the
    `%(spider)s` templates of the first two)."""

    QUEUE_TEMPLATE = "lsarchive:%(spider)s:requests"
    DUPEFILTER_TEMPLATE = "lsarchive:%(spider)s:dupefilter"

    def __init__(self, spider: str):
        prefix = f"lsarchive:{spider}"
        self.queue = self.QUEUE_TEMPLATE % {"spider": spider}
        self.dupefilter = self.DUPEFILTER_TEMPLATE % {"spider": spider}
        self.results = f"{prefix}:results"  # the stream the archive writer drains
        self.workers = f"{prefix}:workers"  # names of workers that joined
        self.heartbeat_prefix = f"{prefix}:worker:"
        self.passes = f"{prefix}:pass"  # number of the current pass
        self.writer = f"{prefix}:writer"  # the archive writer's heartbeat
        # Requests taken from the frontier and not finished (inflight.py): a hash
        # per owner ("WORKER INCARNATION"), the set of owners, and how many
        # requests of dead workers went back to the frontier this pass.
        self.in_flight_prefix = f"{prefix}:inflight:"
        self.in_flight_owners = f"{prefix}:inflight"
        self.returned = f"{prefix}:returned"

    def heartbeat(self, worker: str) -> str:
        return self.heartbeat_prefix + worker

    def in_flight(self, owner: str) -> str:
        return self.in_flight_prefix + owner

    # Per host, whatever the spider: politeness is owed to the server.
    @staticmethod
    def next_allowed(host: str) -> str:
        return f"lsarchive:host:{host}:next"

    @staticmethod
    def throttle(host: str) -> str:
        return f"lsarchive:host:{host}:throttle"

    @staticmethod
    def recent(host: str) -> str:
        return f"lsarchive:host:{host}:recent"

    HOSTS = "lsarchive:hosts"


# Atomic: several workers started at once must agree on whether a new pass begins.
_JOIN = """
local alive = 0
for _, name in ipairs(redis.call('smembers', KEYS[1])) do
  if redis.call('exists', ARGV[2] .. name) == 1 then alive = alive + 1
  else redis.call('srem', KEYS[1], name) end
end
local fresh = 0
if alive == 0 and redis.call('zcard', KEYS[3]) == 0 then
  redis.call('del', KEYS[4])
  redis.call('del', KEYS[5])
  redis.call('incr', KEYS[2])
  fresh = 1
end
redis.call('sadd', KEYS[1], ARGV[1])
redis.call('set', ARGV[2] .. ARGV[1], ARGV[4], 'EX', tonumber(ARGV[3]))
return {fresh, tonumber(redis.call('get', KEYS[2]) or '0')}
"""


class Fleet:
    def __init__(self, client, spider: str, worker: str | None = None, incarnation: str | None = None):
        self.client = client
        self.keys = Keys(spider)
        self.worker = worker
        # Which process runs under the worker's name: a restarted worker is a
        # new incarnation, and the requests its killed predecessor held are
        # returned to the frontier (inflight.py).
        self.incarnation = incarnation

    def join(self, state: dict) -> tuple[bool, int]:
        """Register this worker; (whether it starts a new pass, the pass number)."""
        keys = self.keys
        fresh, number = self.client.eval(
            _JOIN, 5, keys.workers, keys.passes, keys.queue, keys.dupefilter, keys.returned,
            self.worker, keys.heartbeat_prefix, HEARTBEAT_TTL, json.dumps(self.stamped(state)))
        return bool(fresh), int(number)

    def beat(self, state: dict) -> None:
        self.client.set(self.keys.heartbeat(self.worker), json.dumps(self.stamped(state)), ex=HEARTBEAT_TTL)

    def stamped(self, state: dict) -> dict:
        return {**state, "incarnation": self.incarnation} if self.incarnation else state

    def leave(self) -> None:
        pipe = self.client.pipeline()
        pipe.delete(self.keys.heartbeat(self.worker))
        pipe.srem(self.keys.workers, self.worker)
        pipe.execute()

    def alive(self) -> dict[str, dict]:
        """Live workers and what their last heartbeat said."""
        names = sorted(n.decode() for n in self.client.smembers(self.keys.workers))
        if not names:
            return {}
        states = self.client.mget([self.keys.heartbeat(name) for name in names])
        return {name: json.loads(state) for name, state in zip(names, states) if state is not None}

    def frontier_size(self) -> int:
        return self.client.zcard(self.keys.queue)

    def busy_elsewhere(self) -> bool:
        return any(state.get("busy") for name, state in self.alive().items() if name != self.worker)

    def settled(self) -> bool:
        """Nothing left to do: no request queued or held by a worker, no worker alive."""
        return (self.frontier_size() == 0 and not self.alive()
                and self.client.scard(self.keys.in_flight_owners) == 0)


def now() -> float:
    return time.time()
