"""`manage.py ensure_database` (run by `make run`) creates a missing PostgreSQL database."""

import os
import subprocess
import sys
import uuid

import psycopg
from django.conf import settings

from security.tests.servers import running_cluster


def ensure_database(database_url):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "ensure_database"],
        env={**environment, "DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "true",
             "DATABASE_URL": database_url},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def databases(cluster):
    with cluster.connect() as connection:
        return {row[0] for row in connection.execute("SELECT datname FROM pg_database")}


def test_a_missing_database_is_created_then_left_alone():
    name = f"agora_new_{uuid.uuid4().hex[:12]}"
    with running_cluster() as cluster:
        url = f"postgres://postgres@127.0.0.1:{cluster.port}/{name}"
        try:
            first = ensure_database(url)
            assert first.returncode == 0, first.stderr
            assert name in databases(cluster)
            assert first.stdout.strip() == f"Created the database {name}."

            second = ensure_database(url)
            assert second.returncode == 0, second.stderr
            assert second.stdout.strip() == f"The database {name} exists."
            with psycopg.connect(url, autocommit=True) as connection:
                assert connection.execute("SELECT current_database()").fetchone() == (name,)
        finally:
            with cluster.connect() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            assert name not in databases(cluster)


def test_sqlite_needs_nothing(tmp_path):
    completed = ensure_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "SQLite creates its database file on first use."
