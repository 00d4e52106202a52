"""A database outage under load: fast JSON 503s, recovery without a restart, nothing half-written.

The test runs its own throwaway PostgreSQL cluster (initdb into a temporary folder, its own port
and socket folder, as .ci/outage-check does; the machine's clusters and the suite's own
database are never touched, whatever DATABASE_URL the suite runs with) and Agora under gunicorn
against it, with production settings. Client threads keep signing up, posting, liking and
reading, recording every answer, while the cluster is stopped and started again.
"""

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from security.tests.servers import (
    REQUEST_TIMEOUT,
    Gunicorn,
    production_environment,
    running_cluster,
)

THREADS = 4
# The connect timeout (DATABASE_CONNECT_TIMEOUT, 3 s by default) bounds every answer.
SLOWEST_ANSWER = 6
RECOVERY = 10
PASSWORD = "an-outage-passphrase"


@pytest.fixture
def cluster():
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def server(cluster, tmp_path):
    with Gunicorn(production_environment(cluster.url), tmp_path / "gunicorn.log") as gunicorn:
        yield gunicorn


class Traffic:
    """Client threads signing up, posting, liking and reading until told to stop; every
    answer recorded as (kind, key, status, seconds, content type, body)."""

    def __init__(self, base, accounts, post_ids):
        self.base, self.accounts = base, accounts
        self.post_ids = list(post_ids)
        self.answers, self.lock, self.stop = [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(THREADS)]

    def request(self, kind, key, method, path, **kwargs):
        started = time.monotonic()
        try:
            response = requests.request(
                method, f"{self.base}{path}", timeout=REQUEST_TIMEOUT, **kwargs
            )
            answer = (response.status_code, response.headers.get("Content-Type"), response.text)
        except requests.RequestException as error:
            answer = (type(error).__name__, None, str(error))
        with self.lock:
            self.answers.append((kind, key, answer[0], time.monotonic() - started, *answer[1:]))
        return answer

    def run(self, number):
        user_id, token = self.accounts[number]
        auth = {"Authorization": f"Bearer {token}"}
        for step in range(10_000):
            if self.stop.is_set():
                return
            tag = f"outage-{number}-{step}-{uuid.uuid4().hex[:8]}"
            match step % 5:
                case 0:
                    body = {"email": f"{tag}@example.com", "password": PASSWORD}
                    self.request("signup", body["email"], "POST", "/api/v1/users/", json=body)
                case 1:
                    status, _, text = self.request(
                        "post", tag, "POST", "/api/v1/posts/",
                        json={"title": tag, "content": "Written during the drill."},
                        headers=auth,
                    )  # fmt: skip
                    if status == 201:
                        with self.lock:
                            self.post_ids.append(json.loads(text)["id"])
                case 2:
                    post_id = self.post_ids[step % len(self.post_ids)]
                    self.request(
                        "like", (user_id, post_id), "POST", "/api/v1/votes/",
                        json={"post_id": post_id, "dir": 1}, headers=auth,
                    )  # fmt: skip
                case 3:
                    self.request("read", None, "GET", "/api/v1/posts/?limit=5", headers=auth)
                case 4:
                    post_id = self.post_ids[-1]
                    self.request("read", None, "GET", f"/api/v1/posts/{post_id}/")
            time.sleep(0.02)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=2 * REQUEST_TIMEOUT)

    def since(self, count):
        with self.lock:
            return self.answers[count:]


def sign_up_and_post(base, n):
    email = f"writer{n}@example.com"
    body = {"email": email, "password": PASSWORD}
    user = requests.post(f"{base}/api/v1/users/", json=body, timeout=REQUEST_TIMEOUT).json()
    token = requests.post(f"{base}/api/v1/auth/login/", json=body, timeout=REQUEST_TIMEOUT).json()[
        "access_token"
    ]
    post = requests.post(
        f"{base}/api/v1/posts/",
        json={"title": f"seed {n}", "content": "Before the drill."},
        headers={"Authorization": f"Bearer {token}"},
        timeout=REQUEST_TIMEOUT,
    ).json()
    return (user["id"], token), post["id"]


def test_outage_under_load(cluster, server):
    base = server.base
    seeded = [sign_up_and_post(base, n) for n in range(THREADS)]
    workers = server.workers()

    with Traffic(base, [account for account, _ in seeded], [p for _, p in seeded]) as traffic:
        time.sleep(2)
        before = len(traffic.answers)
        cluster.stop()
        assert server.wait_for_health(503, limit=5) < 5
        time.sleep(3)
        cluster.start()
        during = len(traffic.answers)
        recovered_after = server.wait_for_health(200, limit=RECOVERY)
        time.sleep(2)
    answers = traffic.answers

    # Fast JSON answers throughout, never a 500 or a broken connection.
    assert len(answers) > 100
    assert {a[2] for a in answers} <= {200, 201, 409, 503}, {a[2] for a in answers}
    assert max(a[3] for a in answers) < SLOWEST_ANSWER
    for _, _, status, _, content_type, body in answers:
        assert content_type == "application/json", (status, body)
        if status == 503:
            assert "detail" in json.loads(body)
    # The outage was felt, and the same processes served again after it.
    assert 503 in {a[2] for a in answers[before:during]}
    assert recovered_after < RECOVERY
    after = [a for a in traffic.since(during) if a[2] in (200, 201)]
    assert {"post", "signup", "read"} <= {a[0] for a in after}
    assert server.process.poll() is None
    assert server.workers() == workers

    # Every write answered 2xx is there; none answered 503 left anything behind.
    with cluster.connect() as connection:
        emails = {row[0] for row in connection.execute("SELECT email FROM accounts_user")}
        titles = {row[0] for row in connection.execute("SELECT title FROM posts_post")}
        likes = set(connection.execute("SELECT user_id, post_id FROM votes_vote").fetchall())
        wrong_counters = connection.execute(
            "SELECT p.id FROM posts_post p LEFT JOIN votes_vote v ON v.post_id = p.id "
            "GROUP BY p.id HAVING p.votes <> COUNT(v.id)"
        ).fetchall()
    outcomes = {}
    for kind, key, status, *_ in answers:
        if kind != "read":
            outcomes.setdefault((kind, key), set()).add(status)
    for (kind, key), statuses in outcomes.items():
        stored = {"signup": emails, "post": titles, "like": likes}[kind]
        if statuses & {200, 201, 409}:
            assert key in stored, (kind, key, statuses)
        else:
            assert statuses == {503}
            assert key not in stored, (kind, key)
    assert wrong_counters == []
    refused_writes = [key for (kind, key), statuses in outcomes.items() if statuses == {503}]
    assert refused_writes, "no write was refused during the outage"


def test_a_database_restart_between_requests_fails_none_of_them(cluster, server):
    """Connections are not checked with a round trip before reuse; one the server closed while
    the database restarted is found closed, without one, and replaced before the request."""
    read = f"{server.base}/api/v1/posts/"
    with ThreadPoolExecutor(max_workers=16) as pool:
        # Every thread of both workers opens its persistent connection.
        warm = list(pool.map(lambda _: requests.get(read, timeout=REQUEST_TIMEOUT), range(64)))
        assert {answer.status_code for answer in warm} == {200}

        cluster.stop()
        cluster.start()
        answers = list(pool.map(lambda _: requests.get(read, timeout=REQUEST_TIMEOUT), range(64)))

    assert [answer.status_code for answer in answers] == [200] * 64
