"""PreparedReads keeps a bounded number of compiled shapes, and no client value in a shape."""

import pytest
from django.contrib.auth import get_user_model

from core.db import PreparedReads

pytestmark = pytest.mark.django_db


def users_named(prefix):
    return get_user_model().objects.filter(username__startswith=prefix).values("pk")


def test_at_most_max_shapes_are_kept_the_least_recently_used_dropped(monkeypatch):
    monkeypatch.setattr(PreparedReads, "MAX_SHAPES", 3)
    reads = PreparedReads()

    for n in range(10):
        reads._compile(("shape", n), users_named, {"prefix": "ada"})
    reads._compile(("shape", 7), users_named, {"prefix": "ada"})

    assert reads.shapes() == 3
    assert list(reads._compiled) == [("shape", 8), ("shape", 9), ("shape", 7)]


def test_a_value_is_a_parameter_not_part_of_the_sql():
    reads = PreparedReads()

    sql, _params, slots, columns, _model = reads._compile(
        "by-prefix", users_named, {"prefix": "ada"}
    )

    assert "ada" not in sql
    assert [name for _, name, _ in slots] == ["prefix"]
    assert columns == ["pk"]
