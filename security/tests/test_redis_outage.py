"""Redis stopped and started again under load, against a redis-server of the test's own
(core.shared): no request fails, the login limit still holds, a revocation made meanwhile holds,
/health/ says degraded, and counting is shared again afterwards."""

import threading
import time

import pytest
import requests

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory


@pytest.mark.django_db(transaction=True)
def test_the_api_rides_out_a_redis_outage_under_load(redis_server, live_server, settings, rates):
    """Stop Redis while clients read, post and log in: no 5xx, throttles still hold, health
    says degraded; start it again: the counters are in Redis again."""
    settings.REDIS_URL = redis_server.url
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
        # Back once the process has tried Redis again (every 0.2 s here) and found it: polled,
        # not slept, since under load the retry may come later than a fixed wait.
        deadline = time.monotonic() + 10
        while (
            requests.get(f"{live_server.url}/health/", timeout=10).json()["cache"] != "ok"
            and time.monotonic() < deadline
        ):
            time.sleep(0.1)
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
        key.startswith(b"agora:throttle_login_account_")
        for key in redis_server.client().scan_iter()
    )
    assert requests.get(f"{live_server.url}/health/", timeout=10).json()["cache"] == "ok"
