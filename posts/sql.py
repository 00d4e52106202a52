"""Reads of posts as SQL compiled once per shape (core.db.PreparedReads), on PostgreSQL; other
databases run the same queries through the ORM, whose converters their values need. The one
place where posts' reads depend on the database; the same tests run on both."""

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.db.models import QuerySet

from core.db import PreparedReads

_prepared = PreparedReads()


def rows(
    shape: Hashable,
    build: Callable[..., QuerySet[Any, dict[str, Any]]],
    values: Mapping[str, int | str],
    *,
    page: slice | None = None,
) -> list[dict[str, Any]]:
    """The rows of `build(**values)`, a `values()` queryset, sliced by `page`. `shape` names
    what the query's text depends on, never a value: the values and the page are parameters."""
    if PreparedReads.supported():
        prepared: list[dict[str, Any]] = _prepared.rows(shape, build, page=page, **values)
        return prepared
    query = build(**values)
    return list(query if page is None else query[page])
