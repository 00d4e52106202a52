"""A flood of sign-ups and logins from one address, at and past their limits, against Agora's
production command and settings (the real password hasher, the default rates, two workers):
a bystander's reads stay fast. Each sign-up and login hashes a password, most of a second of
CPU here: the limits per address and the per-process turns for hashing keep the flood from the
other routes. Prints its figures (the README's security section quotes them)."""

import statistics
import threading
import time
import uuid

import pytest
import requests

from core.tests.redis_server import RedisServer
from security.tests.servers import (
    REQUEST_TIMEOUT,
    Gunicorn,
    production_environment,
    running_cluster,
)

ATTACKERS = 12
SECONDS = 20
ATTACKER = {"X-Forwarded-For": "198.51.100.7"}
BYSTANDER = {"X-Forwarded-For": "203.0.113.50"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Redis shares the limits between the workers, as in production: without it each worker
    # counts alone and the address would get SIGNUP_RATE_PER_IP sign-ups from each.
    redis_server = RedisServer(tmp_path_factory.mktemp("redis"))
    redis_server.start()
    with running_cluster() as cluster:
        environment = production_environment(
            cluster.url,
            REDIS_URL=redis_server.url,
            # The production settings, hasher included, and the default sign-up and login rates
            # (the bystander reads ten times a second, more than ANON_RATE allows one address).
            DJANGO_SETTINGS_MODULE="config.settings",
            SIGNUP_RATE_PER_IP="5/30m",
            LOGIN_RATE_PER_IP="20/min",
            LOGIN_RATE_PER_ACCOUNT="5/min",
            NUM_PROXIES="1",
        )
        log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
        with Gunicorn(environment, log) as gunicorn:
            yield gunicorn
    redis_server.stop()


def test_a_sign_up_and_login_flood_leaves_a_bystanders_reads_fast(server):
    base, stop = server.base, threading.Event()
    answers = {}
    lock = threading.Lock()

    def attack(n):
        with requests.Session() as session:
            while not stop.is_set():
                if n % 2:
                    body = {
                        "email": f"flood-{uuid.uuid4().hex}@example.com",
                        "password": "a-flood-of-them",
                    }
                    url = f"{base}/api/v1/users/"
                else:
                    body = {"username": f"victim{n % 4}@example.com", "password": "a-guess-at-it"}
                    url = f"{base}/api/v1/auth/login/"
                try:
                    status = session.post(
                        url, json=body, headers=ATTACKER, timeout=REQUEST_TIMEOUT
                    ).status_code
                except requests.RequestException as error:
                    status = type(error).__name__
                with lock:
                    answers[status] = answers.get(status, 0) + 1

    latencies, statuses = [], []
    attackers = [threading.Thread(target=attack, args=(n,)) for n in range(ATTACKERS)]
    for thread in attackers:
        thread.start()
    try:
        deadline = time.monotonic() + SECONDS
        with requests.Session() as session:
            while time.monotonic() < deadline:
                started = time.monotonic()
                response = session.get(
                    f"{base}/api/v1/posts/", headers=BYSTANDER, timeout=REQUEST_TIMEOUT
                )
                latencies.append(time.monotonic() - started)
                statuses.append(response.status_code)
                time.sleep(0.1)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(timeout=2 * REQUEST_TIMEOUT)

    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95)]
    print(
        f"\nfigure: sign-up and login flood, {ATTACKERS} clients from one address for {SECONDS} s: "
        f"answers {dict(sorted(answers.items(), key=str))}; bystander's reads x{len(latencies)}: "
        f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    assert set(statuses) == {200}
    assert p50 < 0.050, p50
    assert set(answers) <= {201, 401, 429, 503}
    assert answers.get(201, 0) <= 5  # SIGNUP_RATE_PER_IP
