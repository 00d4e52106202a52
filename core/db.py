"""Database connections as Agora needs them."""

import re
import select
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection, connections, router
from django.db.models import Model, QuerySet
from psycopg.types.datetime import TimestamptzLoader


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


def close_connections_the_server_closed(**kwargs):
    """`request_started` receiver: a persistent PostgreSQL connection is not checked with a
    round trip before reuse (CONN_HEALTH_CHECKS), but one whose server went away (a restart)
    has something to read while idle: its last words, or the end of the stream. Such a
    connection is closed here, without a round trip, and the request opens a new one."""
    for wrapper in connections.all(initialized_only=True):
        raw = wrapper.connection
        if raw is None or wrapper.vendor != "postgresql" or wrapper.in_atomic_block:
            continue
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError, raw.Error):  # closed already, its socket gone
            readable = True
        if readable:
            wrapper.close()


# Stand in for the values of a call while its query is compiled: integers no id takes, and
# strings of a private-use character no client sends.
_INTEGER_SENTINEL = -7_319_528_173
_TEXT_SENTINEL = "\ue000{}\ue000"
# and instants no row holds (a cursor's position in time).
_TIME_SENTINEL = datetime(1001, 2, 3, tzinfo=UTC)


def _sentinel(n: int, value):
    if isinstance(value, str):
        return _TEXT_SENTINEL.format(n)
    if isinstance(value, datetime):
        return _TIME_SENTINEL + timedelta(microseconds=n)
    return _INTEGER_SENTINEL - n


class PreparedReads:
    """Reads the ORM compiles once per shape, then runs as SQL with the values of each call.

    Compiling a query (building the queryset, resolving its expressions, writing its SQL) cost
    more than running it on the API's hottest pages. `rows(shape, build, page=..., **values)`
    calls `build(**sentinels)`, a function returning an unsliced `values()` queryset, once per
    `shape`; later calls put each value where its sentinel stood in the parameters, and the
    page's bounds in a LIMIT and OFFSET appended to the statement. A shape is what the query's
    text depends on (which filters, which ordering), never a value a client sent: at most
    MAX_SHAPES shapes are kept, the least recently used dropped.
    A text value the ORM put into a LIKE pattern (`icontains`) is escaped as the ORM escapes it.
    For PostgreSQL, whose driver returns Python values as they are: other databases need the
    ORM's converters, and callers keep the ORM path for them (`supported`).
    """

    MAX_SHAPES = 256

    def __init__(self):
        self._compiled = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def supported():
        return connection.vendor == "postgresql"

    def shapes(self) -> int:
        """How many compiled shapes are kept."""
        return len(self._compiled)

    def rows(self, shape, build, page: slice | None = None, **values):
        with self._lock:
            compiled = self._compiled.get(shape)
            if compiled is not None:
                self._compiled.move_to_end(shape)
        if compiled is None:
            compiled = self._compile(shape, build, values)
        sql, params, slots, columns, model = compiled
        params = list(params)
        for slot, name, around in slots:
            value = values[name]
            if around is not None:
                value = around[0] + connection.ops.prep_for_like_query(value) + around[1]
            params[slot] = value
        if page is not None:
            # Written into the statement, as Django's compiler writes a slice: PostgreSQL plans
            # a page by its bounds, and psycopg's prepared statement for a parameter LIMIT
            # would take a generic plan that reads every match (808 ms against 0.4 ms for
            # `search=a` at 200,000 posts). Only the text sent varies with them; the shapes
            # kept here do not, and psycopg keeps at most `prepared_max` statements.
            sql = f"{sql} LIMIT {int(page.stop - page.start)} OFFSET {int(page.start)}"
        # On the database the routers pick for this read: a replica's, for some (core.dbrouter).
        with connections[router.db_for_read(model)].cursor() as cursor:
            # Django reads every timestamptz with a Python subclass of psycopg's loader, which
            # forgoes psycopg's compiled one; these rows take the compiled loader (the same
            # instants, in the session's time zone). Measured in bench/README.md.
            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            cursor.execute(sql, params)
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def _compile(self, shape, build, values):
        sentinels = {name: _sentinel(n, value) for n, (name, value) in enumerate(values.items())}
        queryset = build(**sentinels)
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        slots = []
        for index, param in enumerate(params):
            for name, sentinel in sentinels.items():
                if param == sentinel:
                    slots.append((index, name, None))
                elif isinstance(param, str) and isinstance(sentinel, str) and sentinel in param:
                    slots.append((index, name, tuple(param.split(sentinel))))
        # In the order of the SELECT, as Django's own values() iterable names them.
        query = queryset.query
        columns = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        compiled = (sql, tuple(params), slots, columns, queryset.model)
        with self._lock:
            self._compiled[shape] = compiled
            self._compiled.move_to_end(shape)
            while len(self._compiled) > self.MAX_SHAPES:
                self._compiled.popitem(last=False)
        return compiled


class PreparedQuery:
    """A read through PreparedReads that DRF's CursorPagination pages as it pages a queryset:
    it orders it (`order_by`), narrows it to the rows past a position (`filter`, one lookup per
    call) and slices a page of it, each time a call of `reads.rows`.

    The shape of each page's query is `shape` with the ordering and the lookups (the position
    itself is a value); `build(**values)` gives the unsliced `values()` queryset, as for
    PreparedReads.rows.
    """

    def __init__(self, reads: PreparedReads, shape, build, values, *, model):
        self.reads, self.shape, self.build, self.values, self.model = (
            reads,
            shape,
            build,
            dict(values),
            model,
        )
        self.ordering: tuple = ()
        self.lookups: tuple[tuple[str, str], ...] = ()

    def _with(self, **changes) -> "PreparedQuery":
        query = PreparedQuery(self.reads, self.shape, self.build, self.values, model=self.model)
        query.ordering, query.lookups = self.ordering, self.lookups
        for name, value in changes.items():
            setattr(query, name, value)
        return query

    def order_by(self, *ordering) -> "PreparedQuery":
        return self._with(ordering=ordering)

    def filter(self, **lookups) -> "PreparedQuery":
        values, added = dict(self.values), list[tuple[str, str]]()
        for lookup, value in lookups.items():
            name = f"_position{len(self.lookups) + len(added)}"
            # The position as the ORM would read it for this field (a string, from a cursor).
            field = self.model._meta.get_field(lookup.split("__")[0])
            values[name] = field.to_python(value)
            added.append((lookup, name))
        query = self._with(lookups=(*self.lookups, *added))
        query.values = values
        return query

    def __getitem__(self, page: slice) -> list[dict]:
        build, ordering, lookups = self.build, self.ordering, self.lookups
        positions = {name for _, name in lookups}
        base = [name for name in self.values if name not in positions]

        def ordered(**values):
            rows = build(**{name: values[name] for name in base})
            return rows.order_by(*ordering).filter(
                **{lookup: values[name] for lookup, name in lookups}
            )

        shape = (self.shape, ordering, tuple(lookup for lookup, _ in lookups))
        return self.reads.rows(shape, ordered, page=page, **self.values)


def pageable(
    reads: PreparedReads,
    shape: Hashable,
    build: Callable[..., "QuerySet[Any, dict[str, Any]]"],
    values: Mapping[str, Any],
    *,
    model: type[Model],
) -> "PreparedQuery | QuerySet[Any, dict[str, Any]]":
    """`build(**values)`, a `values()` queryset of `model`, for DRF's CursorPagination to page:
    on PostgreSQL, as a PreparedQuery of `reads`; elsewhere the queryset itself."""
    if PreparedReads.supported():
        return PreparedQuery(reads, shape, build, values, model=model)
    return build(**values)


def rows_of(
    reads: PreparedReads,
    shape: Hashable,
    build: Callable[..., "QuerySet[Any, dict[str, Any]]"],
    values: Mapping[str, Any],
    *,
    page: slice | None = None,
) -> list[dict[str, Any]]:
    """The rows of `build(**values)`, a `values()` queryset, sliced by `page`: on PostgreSQL
    through `reads` (compiled once per `shape`), elsewhere through the ORM, whose converters
    other databases' values need."""
    if PreparedReads.supported():
        prepared: list[dict[str, Any]] = reads.rows(shape, build, page=page, **values)
        return prepared
    query = build(**values)
    return list(query if page is None else query[page])
