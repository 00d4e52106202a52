"""The read side of users: a profile, as its caller sees it."""

from django.db.models import QuerySet

from accounts.extensions import Reader, added_profile_fields
from accounts.models import User
from core.exceptions import NotFound

# The largest id a PostgreSQL bigint holds: a larger one names no user.
MAX_ID = 2**63 - 1


def profiles_for(reader: Reader) -> QuerySet[User]:
    """Active users, with what other apps add to a profile for `reader`."""
    return added_profile_fields.annotate(User.objects.filter(is_active=True), reader)


def profile(*, reader: Reader, user_id: int | None = None, username: str | None = None) -> User:
    """The active user with this id, or this handle (case-insensitively), as `reader` sees
    them; NotFound otherwise."""
    if user_id is not None:
        if not 0 < user_id <= MAX_ID:
            raise NotFound
        found = profiles_for(reader).filter(pk=user_id).first()
    else:
        found = profiles_for(reader).filter(username__iexact=username).first()
    if found is None:
        raise NotFound
    return found
