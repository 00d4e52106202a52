"""`/health/` per the contract: 200 with the database, a quick 503 without it.

The 503 cases run a real Django process against a PostgreSQL address where no database
answers, instead of mocking the connection.
"""

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_health_is_200_with_the_database(api_client):
    response = api_client.get("/health/")

    assert response.status_code == 200
    expected_cache = "ok" if settings.REDIS_URL else "local"
    assert response.json() == {"status": "ok", "database": "ok", "cache": expected_cache}


@pytest.mark.django_db
def test_health_answers_head_for_load_balancer_probes(api_client):
    response = api_client.head("/health/")

    assert response.status_code == 200
    assert response.content == b""


def test_health_is_exempt_from_the_ssl_redirect(api_client, settings, db):
    settings.SECURE_SSL_REDIRECT = True

    assert api_client.get("/health/").status_code == 200
    # Without the slash: Django's APPEND_SLASH redirect, on plain HTTP, not the one to HTTPS.
    assert api_client.get("/health")["Location"] == "/health/"
    assert api_client.get("/api/v1/users/1/")["Location"].startswith("https://")


GET_HEALTH = """
import json, time
from django.test import Client
started = time.monotonic()
response = Client().get("/health/")
print(json.dumps({"status": response.status_code, "body": response.json(),
                  "seconds": time.monotonic() - started}))
"""


def health_against(port, connect_timeout=2):
    """GET /health/ in a fresh process whose DATABASE_URL points at 127.0.0.1:`port`."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/agora",
        "DATABASE_CONNECT_TIMEOUT": str(connect_timeout),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "REDIS_URL": "",
    }
    completed = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", GET_HEALTH],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_health_is_503_at_once_when_nothing_listens():
    result = health_against(free_port())

    assert result["status"] == 503
    assert result["body"] == {"status": "error", "database": "unavailable", "cache": "local"}
    assert result["seconds"] < 1


def test_health_is_503_within_the_connect_timeout_when_the_server_never_answers():
    # Accepts TCP connections (the kernel completes the handshake) and never says a word, like
    # a database host that is up but stuck.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        started = time.monotonic()
        result = health_against(silent.getsockname()[1], connect_timeout=2)
        elapsed = time.monotonic() - started

    assert result["status"] == 503
    assert result["body"] == {"status": "error", "database": "unavailable", "cache": "local"}
    assert 2 <= result["seconds"] < 3.5
    assert elapsed < 10
