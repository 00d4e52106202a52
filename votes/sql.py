"""A like written or taken back in the fewest round trips each database allows: on PostgreSQL
one statement (the post's row locked, its visibility checked, the like written or deleted and
the counter moved by what changed); on other databases (SQLite) the same steps through the ORM,
in one transaction, whose writes already run one at a time. The one place where likes depend on
the database; the same tests run on both.

Each answers (whether the post is visible to the user, whether a block stands between the user
and the post's owner, the post's new like count or None when nothing changed: already liked, not
liked, or a like refused for the block). A block does not stop a like being taken back.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from posts.models import Post
from posts.selectors import posts_visible_to
from relationships.models import Block
from votes.models import Vote

Outcome = tuple[bool, bool, int | None]

# The post's row is locked, as everywhere a post's likes change, before anything else.
_POST = """
    post AS (
        SELECT id, EXISTS (
            SELECT 1 FROM {blocks}
            WHERE (blocker_id = owner_id AND blocked_id = %(user)s)
                OR (blocker_id = %(user)s AND blocked_id = owner_id)
        ) AS blocked
        FROM {posts}
        WHERE id = %(post)s AND (published OR owner_id = %(user)s)
        FOR UPDATE OF {posts}
    )"""
_LIKE = f"""
WITH {_POST},
    changed AS (
        INSERT INTO {{likes}} (user_id, post_id, created_at)
        SELECT %(user)s, id, %(now)s FROM post WHERE NOT blocked
        ON CONFLICT (user_id, post_id) DO NOTHING
        RETURNING post_id
    ),
    counted AS (
        UPDATE {{posts}} SET votes = votes + 1 FROM changed WHERE {{posts}}.id = changed.post_id
        RETURNING {{posts}}.votes
    )
SELECT EXISTS (SELECT 1 FROM post), (SELECT blocked FROM post), (SELECT votes FROM counted)
"""  # noqa: S608 (the table names come from the models; every value is a parameter)
_UNLIKE = f"""
WITH {_POST},
    changed AS (
        DELETE FROM {{likes}} WHERE user_id = %(user)s AND post_id IN (SELECT id FROM post)
        RETURNING post_id
    ),
    counted AS (
        UPDATE {{posts}} SET votes = votes - 1 FROM changed WHERE {{posts}}.id = changed.post_id
        RETURNING {{posts}}.votes
    )
SELECT EXISTS (SELECT 1 FROM post), false, (SELECT votes FROM counted)
"""  # noqa: S608 (the table names come from the models; every value is a parameter)


def like(*, user_id: int, post_id: int) -> Outcome:
    """Write the like of `user_id` for `post_id`. IntegrityError: the user is gone."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_LIKE, user_id=user_id, post_id=post_id)
    return _through_the_orm(user_id=user_id, post_id=post_id, change=_insert, blocks=True)


def unlike(*, user_id: int, post_id: int) -> Outcome:
    """Delete the like of `user_id` for `post_id`."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_UNLIKE, user_id=user_id, post_id=post_id)
    return _through_the_orm(user_id=user_id, post_id=post_id, change=_delete)


def _insert(*, user_id: int, post_id: int) -> int:
    try:
        with transaction.atomic():
            Vote.objects.create(user_id=user_id, post_id=post_id)
    except IntegrityError:
        return 0  # already liked: the one-per-user-and-post constraint
    return 1


def _delete(*, user_id: int, post_id: int) -> int:
    deleted, _ = Vote.objects.filter(user_id=user_id, post_id=post_id).delete()
    return -deleted


def _through_the_orm(
    *, user_id: int, post_id: int, change: Callable[..., int], blocks: bool = False
) -> Outcome:
    """The post locked, the like changed (`change` says by how much: 1, -1 or 0) unless
    `blocks` and a block stands, the counter moved by as much, in one transaction."""
    with transaction.atomic():
        locked = _locked_post(user_id=user_id, post_id=post_id)
        if locked is None:
            return False, False, None
        votes, blocked = locked
        if blocks and blocked:
            return True, True, None
        moved = change(user_id=user_id, post_id=post_id)
        if not moved:
            return True, False, None
        Post.objects.filter(pk=post_id).update(votes=F("votes") + moved)
    return True, False, votes + moved


def _locked_post(*, user_id: int, post_id: int) -> tuple[int, bool] | None:
    """The like count of a post the user may see (None if none), its row locked until commit,
    and whether a block stands between the user and its owner."""
    blocks = Block.objects.filter(
        Q(blocker_id=OuterRef("owner_id"), blocked_id=user_id)
        | Q(blocker_id=user_id, blocked_id=OuterRef("owner_id"))
    )
    return (
        posts_visible_to(User(pk=user_id))
        .select_for_update()
        .filter(pk=post_id)
        .values_list("votes", Exists(blocks))
        .first()
    )


def _in_one_statement(sql: str, *, user_id: int, post_id: int) -> Outcome:
    tables = {
        "posts": Post._meta.db_table,
        "likes": Vote._meta.db_table,
        "blocks": Block._meta.db_table,
    }
    params: dict[str, int | datetime] = {"user": user_id, "post": post_id, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)
        visible, blocked, votes = cursor.fetchone()
    return bool(visible), bool(blocked), votes
