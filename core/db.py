"""Database connections as Agora needs them."""

import re
from functools import lru_cache

from django.db import connection


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


# Stand in for the values of a call while its query is compiled: integers no id takes.
_SENTINEL = -7_319_528_173


class PreparedReads:
    """Reads the ORM compiles once per shape, then runs as SQL with the values of each call.

    Compiling a query (building the queryset, resolving its expressions, writing its SQL) cost
    more than running it on the API's hottest pages. `rows(shape, build, **values)` calls
    `build(**sentinels)`, a function returning a `values()` queryset, once per `shape`; later
    calls put each value where its sentinel stood in the parameters. For PostgreSQL, whose driver
    returns Python values as they are: other databases need the ORM's converters, and callers
    keep the ORM path for them (`supported`).
    """

    def __init__(self):
        self._compiled = {}

    @staticmethod
    def supported():
        return connection.vendor == "postgresql"

    def rows(self, shape, build, **values):
        compiled = self._compiled.get(shape)
        if compiled is None:
            sentinels = {name: _SENTINEL - n for n, name in enumerate(values)}
            queryset = build(**sentinels)
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
            by_sentinel = {sentinel: name for name, sentinel in sentinels.items()}
            slots = [(i, by_sentinel[p]) for i, p in enumerate(params) if p in by_sentinel]
            columns = [*queryset.query.values_select, *queryset.query.annotation_select]
            compiled = self._compiled[shape] = (sql, tuple(params), slots, columns)
        sql, params, slots, columns = compiled
        params = list(params)
        for slot, name in slots:
            params[slot] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
