"""Production settings: `check --deploy` is clean, and a missing secret key stops the start."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def manage(*args, **env):
    """Run manage.py in a fresh process with DJANGO_* taken only from `env` (no .env file)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env = {"DJANGO_ENV_FILE": "", **env}
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    completed = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="agora.example.com",
    )

    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


def test_debug_is_off_unless_asked_for():
    completed = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )

    assert completed.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    "key_env",
    [
        pytest.param({}, id="unset"),
        pytest.param({"DJANGO_SECRET_KEY": ""}, id="empty"),
    ],
)
def test_production_start_without_secret_key_is_improperly_configured(key_env):
    completed = manage("check", DJANGO_DEBUG="false", **key_env)

    assert completed.returncode != 0
    assert completed.stdout == ""
    last_line = completed.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY")
