"""Count the SQL queries each scenario's request makes, by replaying it in-process.

Run by bench/run.py with the server's environment (same database, settings and secret key, so
the bench tokens are valid): each request goes through Django's test client, the whole
middleware and view stack, inside CaptureQueriesContext. The load run itself carries no
counting code. Reads a JSON list of requests on stdin, writes a JSON object to the file named as its argument
(stdout carries the app's request log).

"queries" counts SQL statements; "round_trips" adds transaction control (BEGIN, COMMIT,
SAVEPOINT...), which Django logs as queries too. Neither sees the `SELECT 1` that
CONN_HEALTH_CHECKS sends on a reused connection once per request (psycopg directly).

REDIS_URL names a Redis database of the count's own, emptied first; each token then signs one
request in before the counts, so that a signed-in request reads its token's state from Redis,
as the server's do (a minute at a time), not from PostgreSQL.

A request with "cold": true runs after the cache is emptied (cached feed counts included), then
once more warm; one with "pages": N is counted on page N of its cursor-paged list, reached by
the `next` links; one with "revalidate": true is sent with If-None-Match, the ETag its path
answered just before; the others run once, in order (like before unlike).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from redis import Redis  # noqa: E402

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# A signed-in route with no more to it than its token: where each token's state is read first.
SIGN_IN = "/api/v1/users/me/"


def headers_for(spec):
    return {"Authorization": f"Bearer {spec['token']}"} if spec.get("token") else {}


def deep_path(client, spec):
    """The path of page spec["pages"] of the list at spec["path"], by its `next` links."""
    path = spec["path"]
    for _ in range(spec["pages"] - 1):
        link = client.get(path, headers=headers_for(spec)).json()["next"]
        if link is None:
            raise SystemExit(f"{spec['name']}: {spec['path']} ends before page {spec['pages']}")
        path = link.removeprefix("http://127.0.0.1")
    return path


def replay(client, spec):
    headers = headers_for(spec)
    path = deep_path(client, spec) if spec.get("pages") else spec["path"]
    if spec.get("revalidate"):
        headers["If-None-Match"] = client.get(path, headers=headers)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        if spec["method"] == "GET":
            response = client.get(path, headers=headers)
        else:
            response = client.generic(
                spec["method"],
                path,
                data=json.dumps(spec["body"]) if "body" in spec else "",
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
    specs = json.load(sys.stdin)
    Redis.from_url(settings.REDIS_URL).flushdb()
    for token in {spec["token"] for spec in specs if spec.get("token")}:
        client.get(SIGN_IN, headers={"Authorization": f"Bearer {token}"})
    results = {}
    for spec in specs:
        if spec.get("cold"):
            cache.clear()
            results[spec["name"]] = {"cold": replay(client, spec), "warm": replay(client, spec)}
        else:
            results[spec["name"]] = replay(client, spec)
    Path(sys.argv[1]).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
