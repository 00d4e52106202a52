"""Fields that an app adds to a resource of an app below it, declared there, never named.

An app above (votes: whether the caller likes a post; relationships: whether the caller follows
a user) registers an `AddedField` from its AppConfig.ready(): the field joins the resource's
serializer (the JSON, the schema, the rows' columns), and its `annotate` adds, for the reader,
the column it reads to every query of the resource to show.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import serializers

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class AddedField(Generic[M]):
    """A read-only field another app adds: `field` is shown under `name`, from the column (an
    annotation named `name`) that `annotate(rows, reader)` adds."""

    name: str
    field: serializers.Field[Any, Any, Any, Any]
    annotate: Callable[[QuerySet[M], Any], QuerySet[M]]


class AddedFields(Generic[M]):
    """The fields added to one resource, in the order they were registered."""

    def __init__(self) -> None:
        self._added: dict[str, AddedField[M]] = {}

    def add(self, extra: AddedField[M]) -> None:
        """Register `extra`; once per name (an app's ready() may run again in tests)."""
        if not extra.field.read_only:
            raise ValueError(f"{extra.name}: an added field is read-only.")
        self._added[extra.name] = extra

    def __call__(self) -> tuple[AddedField[M], ...]:
        return tuple(self._added.values())

    def annotate(self, rows: QuerySet[M], reader: Any) -> QuerySet[M]:
        """`rows` with every added field's column, for `reader`."""
        for extra in self._added.values():
            rows = extra.annotate(rows, reader)
        return rows

    def serializer_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """A copy of each added field, for a serializer to declare."""
        return {extra.name: copy.deepcopy(extra.field) for extra in self._added.values()}
