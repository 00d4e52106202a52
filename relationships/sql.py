"""A follow written or taken back, once both users' rows are locked, in the fewest round trips
each database allows: on PostgreSQL one statement (the block checked, the follow written or
deleted, both users' counts moved by what changed); on other databases (SQLite) the same steps
through the ORM, whose writes already run one at a time. The one place where follows depend on
the database; the same tests run on both.

The caller holds both users' locks (relationships.services): the statement starts after them,
so it sees every block and follow committed before it.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, When
from django.utils import timezone

from accounts.models import User
from relationships.models import Block, Follow
from relationships.selectors import block_between

_FOLLOW = """
WITH blocked AS (
        SELECT EXISTS (
            SELECT 1 FROM {blocks}
            WHERE (blocker_id = %(follower)s AND blocked_id = %(followee)s)
                OR (blocker_id = %(followee)s AND blocked_id = %(follower)s)
        ) AS stands
    ),
    changed AS (
        INSERT INTO {follows} (follower_id, followee_id, created_at)
        SELECT %(follower)s, %(followee)s, %(now)s FROM blocked WHERE NOT stands
        ON CONFLICT (follower_id, followee_id) DO NOTHING
        RETURNING 1
    ),
    counted AS ({count})
SELECT (SELECT stands FROM blocked), EXISTS (SELECT 1 FROM changed)
"""
_UNFOLLOW = """
WITH changed AS (
        DELETE FROM {follows} WHERE follower_id = %(follower)s AND followee_id = %(followee)s
        RETURNING 1
    ),
    counted AS ({count})
SELECT false, EXISTS (SELECT 1 FROM changed)
"""
# Both users' counts, moved by `by` (1 or -1) if the follow changed.
_COUNT = """
        UPDATE {users} SET
            following_count = following_count
                + CASE WHEN id = %(follower)s THEN %(by)s ELSE 0 END,
            followers_count = followers_count
                + CASE WHEN id = %(followee)s THEN %(by)s ELSE 0 END
        WHERE id IN (%(follower)s, %(followee)s) AND EXISTS (SELECT 1 FROM changed)
        RETURNING 1"""

# (whether a block stands between the two, whether the follow changed)
Outcome = tuple[bool, bool]


def follow(*, follower: int, followee: int) -> Outcome:
    """Write the follow unless a block stands between the two or it exists already."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_FOLLOW, follower=follower, followee=followee, by=1)
    if block_between(follower, followee):
        return True, False
    try:
        with transaction.atomic():
            Follow.objects.create(follower_id=follower, followee_id=followee)
    except IntegrityError:
        return False, False
    count_follows([(follower, followee)], by=1)
    return False, True


def unfollow(*, follower: int, followee: int) -> Outcome:
    """Delete the follow, if there is one."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_UNFOLLOW, follower=follower, followee=followee, by=-1)
    deleted, _ = Follow.objects.filter(follower_id=follower, followee_id=followee).delete()
    if deleted:
        count_follows([(follower, followee)], by=-1)
    return False, bool(deleted)


def count_follows(pairs: list[tuple[int, int]], by: int) -> None:
    """Move each follower's following_count and each followee's followers_count by `by`, for
    every (follower, followee) in `pairs`, in one statement."""
    if not pairs:
        return
    following: dict[int, int] = {}
    followers: dict[int, int] = {}
    for follower, followee in pairs:
        following[follower] = following.get(follower, 0) + by
        followers[followee] = followers.get(followee, 0) + by

    def moved(field: str, by_user: dict[int, int]) -> Case:
        return Case(
            *(When(pk=pk, then=F(field) + delta) for pk, delta in by_user.items()),
            default=F(field),
            output_field=IntegerField(),
        )

    User.objects.filter(pk__in=following.keys() | followers.keys()).update(
        following_count=moved("following_count", following),
        followers_count=moved("followers_count", followers),
    )


def _in_one_statement(sql: str, *, follower: int, followee: int, by: int) -> Outcome:
    tables = {
        "users": User._meta.db_table,
        "follows": Follow._meta.db_table,
        "blocks": Block._meta.db_table,
    }
    count = _COUNT.format(**tables)
    params: dict[str, int | datetime] = {
        "follower": follower,
        "followee": followee,
        "by": by,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.format(count=count, **tables), params)
        blocked, changed = cursor.fetchone()
    return bool(blocked), bool(changed)
