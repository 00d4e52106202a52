"""Likes: casting and taking them back, with each post's counter kept equal to its Vote rows."""

from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import User
from accounts.tokens import UserGone
from core.exceptions import Conflict, DomainError, NotFound
from core.locks import lock
from posts.models import Post
from posts.selectors import PostNotFound
from relationships.services import BlockStands
from votes import sql
from votes.models import Vote


class AlreadyLiked(Conflict):
    message = "You already like this post."


class NotLiked(NotFound):
    message = "You do not like this post."


def _outcome(outcome: sql.Outcome, *, refused: type[DomainError]) -> int:
    visible, blocked, votes = outcome
    if not visible:
        raise PostNotFound
    if blocked:
        raise BlockStands
    if votes is None:
        raise refused
    return votes


def vote_cast(*, user: User, post_id: int) -> int:
    """Like a post; returns its new like count. A like given twice is a conflict, even at once."""
    try:
        outcome = sql.like(user_id=user.pk, post_id=post_id)
    except IntegrityError:
        # The like's user was deleted after this request was authenticated.
        raise UserGone from None
    return _outcome(outcome, refused=AlreadyLiked)


def vote_withdraw(*, user: User, post_id: int) -> int:
    """Take a like back; returns the post's new like count."""
    return _outcome(sql.unlike(user_id=user.pk, post_id=post_id), refused=NotLiked)


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
        lock(Post.objects.filter(pk__in=liked.values("post_id")) | Post.objects.filter(owner=user))
        lock(User.objects.filter(pk=user.pk))
        lock(Post.objects.filter(pk__in=liked.values("post_id")))
        # One like per user and post: each liked post loses exactly one.
        Post.objects.filter(pk__in=liked.values("post_id")).update(votes=F("votes") - 1)
        liked.delete()
