"""Row locks as every write that changes counters takes them."""

from typing import Any

from django.db.models import QuerySet


def lock(rows: QuerySet[Any]) -> None:
    """Lock `rows` until the transaction ends, in id order: two writes that lock overlapping
    sets of rows wait for each other instead of each holding what the other needs."""
    list(rows.order_by("pk").select_for_update().values_list("pk"))
