"""Redis going away and coming back, against a Redis server of the test's own.

The server is a real redis-server on a free port, stopped and started again by the test; the
machine's Redis and the suite's database 15 are never touched.
"""

import logging
import threading
import time

from core.cache import LocalCache, ResilientRedisCache


def resilient_cache(url):
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return ResilientRedisCache(url, {"KEY_PREFIX": "agora", "OPTIONS": options})


def shared_hits(server, key):
    """The hits Redis itself holds for a throttle key."""
    return int(server.client().get(f"agora:1:{key}") or 0)


def test_counting_goes_on_in_the_process_while_redis_is_down(redis_server, caplog):
    cache = resilient_cache(redis_server.url)
    assert cache.incr_window("k", 60)[0] == 1
    assert shared_hits(redis_server, "k") == 1

    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="agora.cache"):
        hits = [cache.incr_window("k", 60)[0] for _ in range(3)]
        time.sleep(0.3)  # past the breaker: Redis is tried, and fails, again
        hits.append(cache.incr_window("k", 60)[0])
        cache.set("other", "value")

    assert hits == [1, 2, 3, 4]
    assert cache.get("other") == "value"
    assert cache.status() == "degraded"
    assert len(caplog.records) == 1  # logged once for the whole outage
    assert "Redis unreachable" in caplog.records[0].getMessage()


def test_counting_is_shared_again_once_redis_is_back(redis_server):
    cache = resilient_cache(redis_server.url)
    redis_server.stop()
    cache.incr_window("k", 60)

    redis_server.start()
    time.sleep(0.3)

    assert cache.incr_window("k", 60)[0] == 1  # a fresh window in the restarted Redis
    assert resilient_cache(redis_server.url).incr_window("k", 60)[0] == 2
    assert shared_hits(redis_server, "k") == 2
    assert cache.status() == "ok"


def test_an_unreachable_redis_costs_a_request_little_time(redis_server):
    cache = resilient_cache(redis_server.url)
    redis_server.stop()

    started = time.monotonic()
    for _ in range(50):
        cache.incr_window("k", 60)

    assert time.monotonic() - started < 2


def test_local_windows_count_per_process_not_per_thread():
    """Django makes one cache object per thread; the counters must still be one per process."""
    cache = LocalCache("per-process-test", {})
    hits = []
    threads = [
        threading.Thread(
            target=lambda: hits.append(LocalCache("per-process-test", {}).incr_window("k", 60)[0])
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(hits) == list(range(1, 9))
    assert cache.incr_window("k", 60)[0] == 9


def test_a_window_closes_after_its_seconds():
    cache = LocalCache("closing-window-test", {})
    assert cache.incr_window("k", 1) == (1, 1)
    time.sleep(1.05)

    assert cache.incr_window("k", 1)[0] == 1


def test_a_counter_left_without_an_expiry_gets_one(redis_server):
    redis_server.client().set("agora:1:stuck", 99_999)  # as an older version could leave it
    cache = resilient_cache(redis_server.url)

    hits, seconds_left = cache.incr_window("stuck", 60)

    assert (hits, seconds_left) == (100_000, 60)
    assert 0 < redis_server.client().ttl("agora:1:stuck") <= 60
