"""The read side of users: a profile, as its caller sees it."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.extensions import Reader, added_profile_fields
from accounts.models import User
from accounts.serializers import PROFILE_ROWS
from core import db
from core.db import PreparedReads
from core.exceptions import NotFound

# The largest id a PostgreSQL bigint holds: a larger one names no user.
MAX_ID = 2**63 - 1


def profiles_for(reader: Reader) -> QuerySet[User]:
    """Active users, with what other apps add to a profile for `reader`."""
    return added_profile_fields.annotate(User.objects.filter(is_active=True), reader)


def profile(
    *, reader: Reader, user_id: int | None = None, username: str | None = None
) -> dict[str, Any]:
    """The active user with this id, or this handle (case-insensitively), as `reader` sees
    them: a row of PROFILE_ROWS.columns; NotFound otherwise."""
    values: dict[str, int | str] = {"reader": reader.pk} if reader.is_authenticated else {}
    if user_id is not None:
        if not 0 < user_id <= MAX_ID:
            raise NotFound
        values["user"] = user_id
    else:
        values["handle"] = username or ""
    shape = ("profile", "user" in values, "reader" in values)
    found = db.rows_of(_prepared, shape, _profile, values)
    if not found:
        raise NotFound
    return found[0]


# Profiles, compiled once per shape (core.db.PreparedReads).
_prepared = PreparedReads()


def _profile(
    reader: int | None = None, user: int | None = None, handle: str | None = None
) -> "QuerySet[User, dict[str, Any]]":
    users = profiles_for(AnonymousUser() if reader is None else User(pk=reader))
    found = users.filter(pk=user) if user is not None else users.filter(username__iexact=handle)
    rows: QuerySet[User, dict[str, Any]] = found.values(*PROFILE_ROWS.columns)
    return rows
