"""The LOGGING settings as a deployment gets them: request lines on stdout, in text or JSON."""

import json
import os
import subprocess
import sys

from django.conf import settings

GET_HEALTH = "from django.test import Client; Client().get('/health/', HTTP_X_REQUEST_ID='log-42')"


def run_with(**env):
    """GET /health/ in a fresh process configured by `env`; its (returncode, stdout, stderr)."""
    completed = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", GET_HEALTH],
        env={
            **os.environ,
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return completed.returncode, completed.stdout, completed.stderr


def request_lines(stdout):
    return [line for line in stdout.splitlines() if "/health/" in line]


def test_text_request_line_on_stdout():
    returncode, stdout, stderr = run_with(LOG_FORMAT="text")

    assert returncode == 0, stderr
    [line] = request_lines(stdout)
    assert " INFO agora.requests [log-42] GET /health/ 200 " in line
    assert line.endswith("ms")


def test_json_request_line_on_stdout():
    returncode, stdout, stderr = run_with(LOG_FORMAT="json")

    assert returncode == 0, stderr
    [line] = request_lines(stdout)
    record = json.loads(line)
    assert record["logger"] == "agora.requests"
    assert record["request_id"] == "log-42"
    assert (record["method"], record["path"], record["status"]) == ("GET", "/health/", 200)
    assert record["time"].endswith("Z")


def test_unknown_log_format_stops_the_start():
    returncode, _, stderr = run_with(LOG_FORMAT="xml")

    assert returncode != 0
    assert "LOG_FORMAT" in stderr
