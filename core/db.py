"""Database connections as Agora needs them."""

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _like_pattern(pattern, escape):
    """A SQL LIKE pattern as a regular expression: `%` any run, `_` any one character."""
    parts, chars = [], iter(pattern)
    for char in chars:
        if char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(value) is not None


def fold_case_in_sqlite_like(sender, connection, **kwargs):
    """`connection_created` receiver: SQLite's LIKE ignores the case of ASCII letters only, so
    `icontains` found "Ünïcödé" for "ünï" on PostgreSQL but not under `make run`. Django's
    case-insensitive lookups on SQLite are LIKE; this LIKE folds every letter, as PostgreSQL's
    UPPER does."""
    if connection.vendor == "sqlite":
        for arity in (2, 3):
            connection.connection.create_function("like", arity, _like, deterministic=True)
