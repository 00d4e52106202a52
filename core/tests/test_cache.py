"""Redis going away and coming back, against a Redis server of the test's own.

The server is a real redis-server on a free port, stopped and started again by the test; the
machine's Redis and the suite's database 15 are never touched.
"""

import logging
import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis
import requests

from accounts.tests.factories import UserFactory
from core.cache import LocalCache, ResilientRedisCache, _Breaker
from posts.tests.factories import PostFactory


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt: redis-server).")
        self.process = subprocess.Popen(  # noqa: S603 (a fixed command)
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = self.client()
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start within 5 s")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def client(self):
        return redis.Redis.from_url(self.url, socket_timeout=1)


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    monkeypatch.setattr(_Breaker, "RETRY_SECONDS", 0.2)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


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


@pytest.mark.django_db(transaction=True)
def test_the_api_rides_out_a_redis_outage_under_load(redis_server, live_server, settings, rates):
    """Stop Redis while clients read, post and log in: no 5xx, throttles still hold, health
    says degraded; start it again: the counters are in Redis again."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "agora",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    rates(anon="100000/min", login_ip="100000/min", login_account="3/min")
    PostFactory.create_batch(3)
    UserFactory(username="target")
    statuses, stop = [], threading.Event()

    def load():
        with requests.Session() as session:
            while not stop.is_set():
                statuses.append(
                    session.get(f"{live_server.url}/api/v1/posts/", timeout=10).status_code
                )

    def login():
        body = {"username": "target", "password": "a-wrong-guess"}
        return requests.post(f"{live_server.url}/api/v1/auth/login/", json=body, timeout=10)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        redis_server.stop()
        time.sleep(0.5)
        during = [login().status_code for _ in range(4)]
        health = requests.get(f"{live_server.url}/health/", timeout=10)
        redis_server.start()
        time.sleep(0.5)
        after = [login().status_code for _ in range(4)]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert statuses and all(code == 200 for code in statuses), set(statuses)
    assert during == [401, 401, 401, 429]
    assert (health.status_code, health.json()["cache"]) == (200, "degraded")
    assert after == [401, 401, 401, 429]
    assert any(
        key.startswith(b"agora:1:throttle_login_account_")
        for key in redis_server.client().scan_iter()
    )
    assert requests.get(f"{live_server.url}/health/", timeout=10).json()["cache"] == "ok"
