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


PRINT_SECRETS = (
    "from django.conf import settings; "
    "print(settings.SECRET_KEY); print(settings.DATABASES['default']['PASSWORD'])"
)


def secret_file(folder, name, value):
    path = folder / name
    path.write_text(value + "\n")  # as `echo ... > file` writes it
    return str(path)


def test_secrets_are_read_from_the_files_named_by_file_variables(tmp_path):
    key, password = secrets.token_urlsafe(64), secrets.token_urlsafe(24)

    completed = manage(
        "shell", "-v", "0", "-c", PRINT_SECRETS,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY_FILE=secret_file(tmp_path, "key", key),
        DATABASE_URL="postgres://agora@db.internal:5432/agora",
        DATABASE_PASSWORD_FILE=secret_file(tmp_path, "password", password),
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [key, password]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param(
            {"DJANGO_SECRET_KEY": "k" * 40, "DJANGO_SECRET_KEY_FILE": "key"},
            "DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FILE are both set",
            id="secret-key-twice",
        ),
        pytest.param(
            {"DATABASE_PASSWORD": "p", "DATABASE_PASSWORD_FILE": "password"},
            "DATABASE_PASSWORD and DATABASE_PASSWORD_FILE are both set",
            id="password-twice",
        ),
        pytest.param(
            {
                "DATABASE_URL": "postgres://agora:p@db:5432/agora",
                "DATABASE_PASSWORD_FILE": "password",
            },
            "DATABASE_URL has a password and DATABASE_PASSWORD_FILE gives another",
            id="password-in-url-and-file",
        ),
        pytest.param(
            {"DJANGO_SECRET_KEY_FILE": "missing"},
            "DJANGO_SECRET_KEY_FILE: cannot read",
            id="unreadable-file",
        ),
        pytest.param(
            {"DJANGO_SECRET_KEY_FILE": "empty"},
            "DJANGO_SECRET_KEY is not set",
            id="empty-file",
        ),
    ],
)
def test_a_secret_given_twice_or_unreadable_stops_the_start(tmp_path, given, message):
    secret_file(tmp_path, "key", secrets.token_urlsafe(64))
    secret_file(tmp_path, "password", "p")
    (tmp_path / "empty").write_text("")
    in_folder = {
        name: str(tmp_path / value) if name.endswith("_FILE") else value
        for name, value in given.items()
    }

    given_key = any(name.startswith("DJANGO_SECRET_KEY") for name in given)
    key = {} if given_key else {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}

    completed = manage("check", DJANGO_DEBUG="false", **key, **in_folder)

    assert completed.returncode != 0
    last_line = completed.stderr.strip().splitlines()[-1]
    assert last_line.startswith(f"django.core.exceptions.ImproperlyConfigured: {message}")
