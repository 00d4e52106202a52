"""Real servers for the tests that attack or break Agora as it runs in production.

`Cluster`: a PostgreSQL cluster of the test's own, in a temporary folder, on its own port and
socket folder (the machine's clusters and the suite's database are never touched, whatever
DATABASE_URL the suite runs with). `Gunicorn`: Agora under its production start command, with
production settings, against such a cluster.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

REQUEST_TIMEOUT = 15


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        pytest.fail("No PostgreSQL server binaries under /usr/lib/postgresql (apt: postgresql).")
    return candidates[-1].parent


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
        return psycopg.connect(self.url, connect_timeout=5, autocommit=True)


@contextmanager
def running_cluster():
    folder = tempfile.mkdtemp(prefix="agora-cluster-")
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


def production_environment(database_url, **overrides):
    """Production settings, with the tests' fast password hasher (config.test_settings) and
    generous general and sign-up rates, for a server the test owns."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN"))}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "ANON_RATE": "100000/min",
        "USER_RATE": "100000/min",
        "SIGNUP_RATE_PER_IP": "100000/min",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        **overrides,
    }


class Gunicorn:
    """Agora's production start command on a free port of 127.0.0.1, its output in `log`."""

    def __init__(self, environment, log):
        self.environment, self.log_path = environment, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def manage(self, *args):
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR, env=self.environment, check=True, capture_output=True,
            timeout=120,
        )  # fmt: skip

    def __enter__(self):
        self.manage("migrate", "--no-input", "-v", "0")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (the production start command)
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null"],
            cwd=settings.BASE_DIR, env=self.environment, stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self.wait_for_health(200, limit=30)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def wait_for_health(self, status, limit):
        """Poll /health/ until it answers `status`; the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            try:
                answer = requests.get(f"{self.base}/health/", timeout=REQUEST_TIMEOUT)
                if answer.status_code == status:
                    return time.monotonic() - started
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        pytest.fail(f"/health/ did not answer {status} within {limit} s")

    def workers(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def memory_kib(self):
        """The resident memory of each worker process, in KiB."""
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(
                int(
                    next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[
                        1
                    ]
                )
            )
        return sizes
