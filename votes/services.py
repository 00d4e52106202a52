"""Likes: casting and taking them back, with each post's counter kept equal to its Vote rows."""

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.exceptions import Conflict, NotFound
from posts.models import Post
from posts.selectors import PostNotFound, posts_visible_to
from votes.models import Vote


class AlreadyLiked(Conflict):
    message = "You already like this post."


class NotLiked(NotFound):
    message = "You do not like this post."


def _locked_votes(*, user: User, post_id: int) -> int:
    """The like count of a post `user` may see, with the post's row locked until commit.

    The lock queues concurrent likes of one post, so the count read here stays exact; SQLite
    needs none (its IMMEDIATE transactions already run one writer at a time).
    """
    votes = (
        posts_visible_to(user)
        .select_for_update()
        .filter(pk=post_id)
        .values_list("votes", flat=True)
        .first()
    )
    if votes is None:
        raise PostNotFound
    return votes


def vote_cast(*, user: User, post_id: int) -> int:
    """Like a post; returns its new like count. A like given twice is a conflict, even at once."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_LIKE, user=user, post_id=post_id, refused=AlreadyLiked)
    try:
        with transaction.atomic():
            votes = _locked_votes(user=user, post_id=post_id)
            Vote.objects.create(user=user, post_id=post_id)
            Post.objects.filter(pk=post_id).update(votes=F("votes") + 1)
    except IntegrityError:
        raise AlreadyLiked from None
    return votes + 1


def vote_withdraw(*, user: User, post_id: int) -> int:
    """Take a like back; returns the post's new like count."""
    if connection.vendor == "postgresql":
        return _in_one_statement(_UNLIKE, user=user, post_id=post_id, refused=NotLiked)
    with transaction.atomic():
        votes = _locked_votes(user=user, post_id=post_id)
        deleted, _ = Vote.objects.filter(user=user, post_id=post_id).delete()
        if not deleted:
            raise NotLiked
        Post.objects.filter(pk=post_id).update(votes=F("votes") - 1)
    return votes - 1


# On PostgreSQL a like, or taking it back, is one statement: the post's row is locked (as
# everywhere a post's likes change, before anything else), its visibility checked, the like
# written or deleted, and the counter moved by what was written or deleted. The answer: whether
# the post is visible to the user, and its new count (NULL when nothing changed).
_POST = """
    post AS (
        SELECT id FROM {posts}
        WHERE id = %(post)s AND (published OR owner_id = %(user)s)
        FOR UPDATE
    )"""
_LIKE = f"""
WITH {_POST},
    changed AS (
        INSERT INTO {{likes}} (user_id, post_id, created_at)
        SELECT %(user)s, id, %(now)s FROM post
        ON CONFLICT (user_id, post_id) DO NOTHING
        RETURNING post_id
    ),
    counted AS (
        UPDATE {{posts}} SET votes = votes + 1 FROM changed WHERE {{posts}}.id = changed.post_id
        RETURNING {{posts}}.votes
    )
SELECT EXISTS (SELECT 1 FROM post), (SELECT votes FROM counted)
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
SELECT EXISTS (SELECT 1 FROM post), (SELECT votes FROM counted)
"""  # noqa: S608 (the table names come from the models; every value is a parameter)


def _in_one_statement(sql, *, user, post_id, refused):
    tables = {"posts": Post._meta.db_table, "likes": Vote._meta.db_table}
    params = {"user": user.pk, "post": post_id, "now": timezone.now()}
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.format(**tables), params)
            visible, votes = cursor.fetchone()
    except IntegrityError:
        # The like's user was deleted meanwhile (account deletion), after the check above.
        raise PostNotFound from None
    if not visible:
        raise PostNotFound
    if votes is None:
        raise refused
    return votes


def votes_withdraw_all(*, user: User) -> None:
    """Take back every like of `user`, ahead of deleting the account, keeping counts exact.

    Locks in the order a like takes them, the post before the user: every post the user likes
    or owns (in id order), then the user's row, so that no new like by the user can commit (its
    foreign key check waits for this transaction, then finds no user). A like that committed in
    between is on a post locked then, before the likes are read again. A withdrawal under way
    either commits first (and its like is not counted again here) or finds the like gone.
    """
    liked = Vote.objects.filter(user=user)
    with transaction.atomic():
        _lock(Post.objects.filter(pk__in=liked.values("post_id")) | Post.objects.filter(owner=user))
        _lock(User.objects.filter(pk=user.pk))
        _lock(Post.objects.filter(pk__in=liked.values("post_id")))
        # One like per user and post: each liked post loses exactly one.
        Post.objects.filter(pk__in=liked.values("post_id")).update(votes=F("votes") - 1)
        liked.delete()


def _lock(rows):
    list(rows.order_by("pk").select_for_update().values_list("pk"))
