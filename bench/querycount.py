"""Count the SQL queries each scenario's request makes, by replaying it in-process.

Run by bench/run.py with the server's environment (same database, settings and secret key, so
the bench tokens are valid): each request goes through Django's test client, the whole
middleware and view stack, inside CaptureQueriesContext. The load run itself carries no
counting code. Reads a JSON list of requests on stdin, writes a JSON object to the file named as its argument
(stdout carries the app's request log).

"queries" counts SQL statements; "round_trips" adds transaction control (BEGIN, COMMIT,
SAVEPOINT...), which Django logs as queries too. Neither sees the `SELECT 1` that
CONN_HEALTH_CHECKS sends on a reused connection once per request (psycopg directly).

A request with "cold": true runs after the cache is emptied (cached feed counts included), then
once more warm; the others run once, in order (like before unlike).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def replay(client, spec):
    headers = {}
    if spec.get("token"):
        headers["Authorization"] = f"Bearer {spec['token']}"
    with CaptureQueriesContext(connection) as captured:
        if spec["method"] == "GET":
            response = client.get(spec["path"], headers=headers)
        else:
            response = client.post(
                spec["path"],
                data=json.dumps(spec["body"]),
                content_type="application/json",
                headers=headers,
            )
    if response.status_code != spec["expect"]:
        raise SystemExit(
            f"{spec['name']}: {spec['method']} {spec['path']} answered "
            f"{response.status_code}, not {spec['expect']}: {response.content[:300]!r}"
        )
    sql = [query["sql"] for query in captured.captured_queries]
    statements = [text for text in sql if not text.startswith(TRANSACTION_CONTROL)]
    return {
        "queries": len(statements),
        "round_trips": len(sql),
        "sql": [text[:500] for text in sql],
    }


def main():
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for spec in json.load(sys.stdin):
        if spec.get("cold"):
            cache.clear()
            results[spec["name"]] = {"cold": replay(client, spec), "warm": replay(client, spec)}
        else:
            results[spec["name"]] = replay(client, spec)
    Path(sys.argv[1]).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
