"""The Redis the distributed tests run on is a real server, and keeps its data."""

from __future__ import annotations

from .redis_server import redis_server  # noqa: F401 (fixture)


def test_a_real_redis_server_persists_its_data_across_a_restart(redis_server):  # noqa: F811
    client = redis_server.client()
    client.zadd("frontier", {"a": 1, "b": 2})
    assert client.info("server")["redis_version"]
    redis_server.stop()
    redis_server.start()
    assert redis_server.client().zrange("frontier", 0, -1) == [b"a", b"b"]
