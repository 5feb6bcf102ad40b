"""Requests in flight: what each worker has taken from the frontier and not finished.

A worker takes a request from the shared frontier and records it in its own
in-flight hash in the same atomic step (a Lua script), so a request is always
in one of the two. The record is deleted only once Scrapy has finished with
the request: its page pushed to the stream (or its failure recorded there),
the links it found pushed to the frontier, or the request it turned into (a
redirect, a retry) queued. Scrapy holds every request it took from the
scheduler in the engine's set of requests in progress until then; the worker
compares its records with that set every heartbeat (1 s) and deletes those
that have left it.

A worker killed with kill -9 leaves its hash behind. Any worker, and the
archive writer, that finds the owner dead (no heartbeat, or a heartbeat of a
newer process under the same name: a restarted worker) moves the owner's
requests back onto the frontier, with their priority, and deletes the hash,
in one atomic step. They go back as scrapy-redis serialised them, straight
into the frontier (after the duplicate filter, which saw them already), so
the same pass fetches them again. The cost of a kill is at most the pages
that were in flight fetched twice (storing a page twice is harmless: see
writer.py), and the requests finished in the last second before it.

Owners are `WORKER INCARNATION`: the incarnation is a random id each worker
process draws when it starts and repeats in its heartbeat.
"""

from __future__ import annotations

import itertools
import logging
import uuid

from .fleet import Keys

logger = logging.getLogger(__name__)

# KEYS: frontier, the owner's in-flight hash, the set of owners. ARGV: token, owner.
# The entry keeps its score (the request's priority) for a return to the frontier.
# Idempotent per token: redis-py sends a command again when its reply was lost
# (a Redis restart), and the second call must not take a second request.
_TAKE = """
local held = redis.call('hget', KEYS[2], ARGV[1])
if held then return string.sub(held, string.find(held, ' ', 1, true) + 1) end
local top = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('zrem', KEYS[1], top[1])
redis.call('hset', KEYS[2], ARGV[1], top[2] .. ' ' .. top[1])
redis.call('sadd', KEYS[3], ARGV[2])
return top[1]
"""

# KEYS: the set of owners, frontier, count of returned requests.
# ARGV: heartbeat key prefix, in-flight key prefix. Returns how many came back.
_RETURN_DEAD = """
local returned = 0
for _, owner in ipairs(redis.call('smembers', KEYS[1])) do
  local name, id = string.match(owner, '^(.*) ([^ ]+)$')
  local alive = false
  if name then
    local beat = redis.call('get', ARGV[1] .. name)
    if beat then
      local ok, state = pcall(cjson.decode, beat)
      alive = ok and type(state) == 'table' and state['incarnation'] == id
    end
  end
  if not alive then
    local key = ARGV[2] .. owner
    for _, entry in ipairs(redis.call('hvals', key)) do
      local cut = string.find(entry, ' ', 1, true)
      redis.call('zadd', KEYS[2], tonumber(string.sub(entry, 1, cut - 1)), string.sub(entry, cut + 1))
      returned = returned + 1
    end
    redis.call('del', key)
    redis.call('srem', KEYS[1], owner)
  end
end
if returned > 0 then redis.call('incrby', KEYS[3], returned) end
return returned
"""


def new_incarnation() -> str:
    return uuid.uuid4().hex[:12]


class InFlight:
    """One worker's in-flight records (owner given), or the fleet's (owner None)."""

    def __init__(self, client, keys: Keys, owner: str | None = None):
        self.client = client
        self.keys = keys
        self.owner = owner
        self.taken: dict[str, object] = {}  # token -> the Request Scrapy was given
        self.tokens = (str(n) for n in itertools.count(1))
        self.take_script = client.register_script(_TAKE)
        self.return_script = client.register_script(_RETURN_DEAD)

    @property
    def key(self) -> str:
        return self.keys.in_flight(self.owner)

    def take(self) -> tuple[str, bytes] | None:
        """The frontier's first request, recorded as in flight: (token, serialised request)."""
        token = next(self.tokens)
        data = self.take_script(keys=[self.keys.queue, self.key, self.keys.in_flight_owners],
                                args=[token, self.owner])
        return None if data is None else (token, data)

    def track(self, token: str, request) -> None:
        self.taken[token] = request

    def finish(self, tokens: list[str]) -> None:
        if tokens:
            self.client.hdel(self.key, *tokens)
            for token in tokens:
                self.taken.pop(token, None)

    def finish_done(self, in_progress) -> int:
        """Delete the records of requests Scrapy has finished with."""
        done = [token for token, request in self.taken.items() if request not in in_progress]
        self.finish(done)
        return len(done)

    def release(self) -> None:
        """A worker leaving with nothing in flight takes its records away; one
        leaving with some (a forced stop) leaves them to be returned once its
        heartbeat is gone."""
        if not self.taken:
            pipe = self.client.pipeline()
            pipe.delete(self.key)
            pipe.srem(self.keys.in_flight_owners, self.owner)
            pipe.execute()

    def return_dead(self) -> int:
        """Dead owners' requests back onto the frontier; how many."""
        return int(self.return_script(
            keys=[self.keys.in_flight_owners, self.keys.queue, self.keys.returned],
            args=[self.keys.heartbeat_prefix, self.keys.in_flight_prefix]))

    def counts(self) -> dict[str, int]:
        """Requests in flight, per owner (live or not yet found dead)."""
        owners = sorted(o.decode() for o in self.client.smembers(self.keys.in_flight_owners))
        pipe = self.client.pipeline()
        for owner in owners:
            pipe.hlen(self.keys.in_flight(owner))
        return dict(zip(owners, pipe.execute()))

    def pending_elsewhere(self) -> int:
        """Requests other owners hold: a worker must not stop while they may come back."""
        return sum(n for owner, n in self.counts().items() if owner != self.owner)


def requests_in_progress(engine) -> set:
    """The requests Scrapy's engine took from the scheduler and has not finished
    (downloading, waiting for the limiter, being scraped, their items in the
    pipelines). Not public API: checked when a worker starts, so a Scrapy that
    changes it fails at once rather than forgetting in-flight records."""
    slot = getattr(engine, "_slot", None)
    in_progress = getattr(slot, "inprogress", None)
    if not isinstance(in_progress, set):
        raise RuntimeError("this Scrapy's engine does not expose its requests in progress "
                           "(engine._slot.inprogress); lsarchive workers need it")
    return in_progress
