"""Where accounts depend on the database: the one place, with the same tests on every database."""

from django.db import connection


def take_turns(key: str) -> None:
    """Transactions naming the same `key` run one after another until they commit or roll back.

    PostgreSQL: a transaction-scoped advisory lock. SQLite's IMMEDIATE transactions already run
    one writer at a time: nothing to take.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
