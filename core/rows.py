"""A serializer's read side as rows: the columns a `values()` query selects, and a renderer that
shows such a row exactly as the serializer shows the instance.

The serializer stays the one declaration of a resource's read shape: its fields give the JSON
and (through drf-spectacular) the schema, and from them `RowShape` derives the columns and the
renderer, which skips DRF's field-by-field calls (they cost more than reading the row on the
hottest pages). Fields it knows how to render: a model field or an annotation read by its
`source`, and a nested serializer of a foreign key, whose columns are `<source>__<column>`.
Any other field (a SerializerMethodField, a dotted source) is refused when the shape is first
used, never rendered differently from the serializer; a test per resource holds the two equal.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cached_property
from operator import itemgetter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

Row = Mapping[str, Any]
Render = Callable[[Row], Any]
# The columns to select, and how to show each key of the JSON from a row.
Plan = tuple[tuple[str, ...], tuple[tuple[str, Render], ...]]


def timestamp(value: datetime | None) -> str | None:
    """A datetime as DRF's DateTimeField writes it with USE_TZ and TIME_ZONE="UTC"."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _as_bool(value: object) -> bool | None:
    # SQLite answers an annotated boolean as 0 or 1.
    return None if value is None else bool(value)


# How each kind of field shows a value, where the database's is not already the JSON's.
_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    serializers.DateTimeField: timestamp,
    serializers.BooleanField: _as_bool,
}
# Fields whose value is shown as the database gives it.
_AS_IS = (serializers.IntegerField, serializers.CharField)


class RowShape:
    """The read shape of `serializer_class` as `columns` and `render(row)`."""

    def __init__(self, serializer_class: type[serializers.Serializer[Any]]):
        self.serializer_class = serializer_class

    @cached_property
    def _plan(self) -> Plan:
        return self._plan_of(self.serializer_class(), prefix="")

    @property
    def columns(self) -> tuple[str, ...]:
        """What a `values()` query of the resource selects."""
        return self._plan[0]

    def render(self, row: Row) -> dict[str, Any]:
        """`row` (a `values(*columns)` row) as the serializer shows the instance."""
        return {key: show(row) for key, show in self._plan[1]}

    def _plan_of(self, serializer: serializers.Serializer[Any], prefix: str) -> Plan:
        columns: list[str] = []
        shows: list[tuple[str, Render]] = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            source = field.source
            if not isinstance(source, str) or "." in source or source == "*":
                raise ImproperlyConfigured(
                    f"{self.serializer_class.__name__}.{name}: RowShape reads a column per "
                    f"field; source {source!r} is not one."
                )
            column = prefix + source
            if isinstance(field, serializers.Serializer):
                nested_columns, nested_shows = self._plan_of(field, prefix=f"{column}__")
                columns += nested_columns
                shows.append((name, _nested(nested_shows)))
                continue
            converter = next(
                (convert for kind, convert in _CONVERTERS.items() if isinstance(field, kind)),
                None,
            )
            if converter is None and not isinstance(field, _AS_IS):
                raise ImproperlyConfigured(
                    f"{self.serializer_class.__name__}.{name}: RowShape cannot render a "
                    f"{type(field).__name__}."
                )
            columns.append(column)
            shows.append((name, _converted(itemgetter(column), converter)))
        return tuple(columns), tuple(shows)


def _converted(get: Render, converter: Callable[[Any], Any] | None) -> Render:
    if converter is None:
        return get
    return lambda row: converter(get(row))


def _nested(shows: tuple[tuple[str, Render], ...]) -> Render:
    return lambda row: {key: show(row) for key, show in shows}
