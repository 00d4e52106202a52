"""Production settings: `check --deploy` is clean, and a missing secret key stops the start."""

import os
import secrets
import shutil
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


COMPOSE_ENV = "DATABASE_URL=postgres://agora:secret@db:5432/agora\nDJANGO_SECRET_KEY=\n"
PRINT_DATABASE = (
    "from django.db import connection; connection.ensure_connection(); "
    "print(connection.vendor, connection.settings_dict['NAME'])"
)


def checkout_with_compose_env(folder):
    """A copy of the project's code with compose's `.env` beside its manage.py, as after
    `cp .env.example .env`."""
    for package in settings.BASE_DIR.glob("*/apps.py"):
        shutil.copytree(package.parent, folder / package.parent.name)
    shutil.copytree(settings.BASE_DIR / "config", folder / "config")
    shutil.copy(settings.BASE_DIR / "manage.py", folder / "manage.py")
    (folder / ".env").write_text(COMPOSE_ENV)
    return folder


def run_in(folder, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=folder, env={**clean, "DJANGO_DEBUG": "true", **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_local_runs_do_not_read_compose_env_file(tmp_path):
    folder = checkout_with_compose_env(tmp_path)

    completed = run_in(folder, "shell", "-v", "0", "-c", PRINT_DATABASE)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["sqlite", str(folder / "db.sqlite3")]


def test_an_env_file_is_read_when_django_env_file_names_it(tmp_path):
    folder = checkout_with_compose_env(tmp_path)
    (folder / "local.env").write_text(f"DATABASE_URL=sqlite:///{folder / 'local.sqlite3'}\n")

    completed = run_in(
        folder, "shell", "-v", "0", "-c", PRINT_DATABASE, DJANGO_ENV_FILE="local.env"
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["sqlite", str(folder / "local.sqlite3")]
