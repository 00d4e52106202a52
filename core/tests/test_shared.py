"""Redis going away and coming back, against a Redis server of the test's own.

The server is a real redis-server on a free port, stopped and started again by the test; the
machine's Redis and the suite's database 15 are never touched.
"""

import logging
import threading
import time

import pytest

from core.shared import Counters, SharedRedis, Unreachable


def shared_hits(server, key):
    """The hits Redis itself holds for a throttle key."""
    return int(server.client().get(f"agora:{key}") or 0)


def test_counting_goes_on_in_the_process_while_redis_is_down(redis_server, caplog):
    shared = SharedRedis(redis_server.url)
    counters = Counters(shared)
    assert counters.hit("k", 60)[0] == 1
    assert shared_hits(redis_server, "k") == 1

    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="agora.redis"):
        hits = [counters.hit("k", 60)[0] for _ in range(3)]
        time.sleep(0.3)  # past the breaker: Redis is tried, and fails, again
        hits.append(counters.hit("k", 60)[0])

    assert hits == [1, 2, 3, 4]
    assert shared.status() == "degraded"
    assert len(caplog.records) == 1  # logged once for the whole outage
    assert "Redis unreachable" in caplog.records[0].getMessage()


def test_counting_is_shared_again_once_redis_is_back(redis_server):
    counters = Counters(SharedRedis(redis_server.url))
    redis_server.stop()
    counters.hit("k", 60)

    redis_server.start()
    time.sleep(0.3)

    assert counters.hit("k", 60)[0] == 1  # a fresh window in the restarted Redis
    assert Counters(SharedRedis(redis_server.url)).hit("k", 60)[0] == 2
    assert shared_hits(redis_server, "k") == 2
    assert counters.shared.status() == "ok"


def test_an_unreachable_redis_costs_a_request_little_time(redis_server):
    counters = Counters(SharedRedis(redis_server.url))
    redis_server.stop()

    started = time.monotonic()
    for _ in range(50):
        counters.hit("k", 60)

    assert time.monotonic() - started < 2


def test_a_call_while_the_breaker_is_open_is_refused_at_once(redis_server):
    shared = SharedRedis(redis_server.url)
    redis_server.stop()
    with pytest.raises(Unreachable):
        shared.execute("PING")

    started = time.monotonic()
    with pytest.raises(Unreachable):
        shared.execute("PING")

    assert time.monotonic() - started < 0.05


def test_each_thread_counts_in_the_same_local_windows():
    counters = Counters(None)
    hits = []
    threads = [
        threading.Thread(target=lambda: hits.append(counters.hit("k", 60)[0])) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(hits) == list(range(1, 9))
    assert counters.hit("k", 60)[0] == 9


def test_a_window_closes_after_its_seconds():
    counters = Counters(None)
    assert counters.hit("k", 1) == (1, 1)
    time.sleep(1.05)

    assert counters.hit("k", 1)[0] == 1


def test_local_windows_are_bounded(monkeypatch):
    monkeypatch.setattr(Counters, "MAX_LOCAL_WINDOWS", 100)
    counters = Counters(None)

    for n in range(1000):
        counters.hit(f"k{n}", 60)

    assert len(counters._local._windows) <= 100


def test_a_counter_left_without_an_expiry_gets_one(redis_server):
    redis_server.client().set("agora:stuck", 99_999)  # as an older version could leave it

    hits, seconds_left = Counters(SharedRedis(redis_server.url)).hit("stuck", 60)

    assert (hits, seconds_left) == (100_000, 60)
    assert 0 < redis_server.client().ttl("agora:stuck") <= 60


def test_scripts_are_sent_whole_once_then_by_their_digest(redis_server):
    shared = SharedRedis(redis_server.url)
    counters = Counters(shared)
    counters.hit("k", 60)
    redis_server.client().script_flush()  # as after a Redis restart

    assert counters.hit("k", 60)[0] == 2
