"""A database outage under load: fast JSON 503s, recovery without a restart, nothing half-written.

The test runs its own throwaway PostgreSQL cluster (initdb into a temporary folder, its own port
and socket folder, as .ci/outage-check does; the machine's clusters and the suite's own
database are never touched, whatever DATABASE_URL the suite runs with) and Agora under gunicorn
against it, with production settings. Client threads keep signing up, posting, liking and
reading, recording every answer, while the cluster is stopped and started again.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

THREADS = 4
REQUEST_TIMEOUT = 15
# The connect timeout (DATABASE_CONNECT_TIMEOUT, 3 s by default) bounds every answer.
SLOWEST_ANSWER = 6
RECOVERY = 10
PASSWORD = "an-outage-passphrase"


def postgres_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        pytest.fail("No PostgreSQL server binaries under /usr/lib/postgresql (apt: postgresql).")
    return candidates[-1].parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder, owned by `postgres` when we are
    root (initdb refuses to run as root)."""

    def __init__(self, folder):
        self.folder, self.bin, self.port = folder, postgres_bin(), free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(folder, "postgres")
        self.run("initdb", "-D", f"{folder}/data", "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--no-sync", "--no-instructions")  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program, *args):
        subprocess.run(  # noqa: S603 (PostgreSQL's own programs, fixed arguments)
            [*self.as_owner, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def pg_ctl(self, *args):
        self.run("pg_ctl", "-D", f"{self.folder}/data", "-l", f"{self.folder}/postgres.log", *args)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-w", "-o", options, "start")

    def stop(self, mode="fast"):
        self.pg_ctl("-w", "-m", mode, "stop")

    def connect(self):
        return psycopg.connect(self.url, connect_timeout=5)


@pytest.fixture
def cluster():
    folder = tempfile.mkdtemp(prefix="agora-outage-")
    try:
        cluster = Cluster(folder)
        cluster.start()
        try:
            yield cluster
        finally:
            if Path(folder, "data", "postmaster.pid").exists():
                cluster.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def server_environment(cluster):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN"))}
    return {
        **base,
        # Production settings with a fast password hasher (sign-ups in the stream).
        "DJANGO_SETTINGS_MODULE": "fuzz.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": "",
        "ANON_RATE": "100000/min",
        "USER_RATE": "100000/min",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
    }


@pytest.fixture
def server(cluster, tmp_path):
    environment = server_environment(cluster)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR, env=environment, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(  # noqa: S603 (the production start command)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, 200, limit=30)
        yield base, gunicorn
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=35)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
        log.close()


def wait_for_health(base, status, limit):
    """Poll /health/ until it answers `status`; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            if requests.get(f"{base}/health/", timeout=REQUEST_TIMEOUT).status_code == status:
                return time.monotonic() - started
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"/health/ did not answer {status} within {limit} s")


def workers_of(process):
    return Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()


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
    base, gunicorn = server
    seeded = [sign_up_and_post(base, n) for n in range(THREADS)]
    workers = workers_of(gunicorn)

    with Traffic(base, [account for account, _ in seeded], [p for _, p in seeded]) as traffic:
        time.sleep(2)
        before = len(traffic.answers)
        cluster.stop()
        assert wait_for_health(base, 503, limit=5) < 5
        time.sleep(3)
        cluster.start()
        during = len(traffic.answers)
        recovered_after = wait_for_health(base, 200, limit=RECOVERY)
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
    assert gunicorn.poll() is None
    assert workers_of(gunicorn) == workers

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
