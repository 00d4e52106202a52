"""Likes: casting and taking them back, with each post's counter kept equal to its Vote rows."""

from django.db import IntegrityError, transaction
from django.db.models import F

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
    with transaction.atomic():
        votes = _locked_votes(user=user, post_id=post_id)
        deleted, _ = Vote.objects.filter(user=user, post_id=post_id).delete()
        if not deleted:
            raise NotLiked
        Post.objects.filter(pk=post_id).update(votes=F("votes") - 1)
    return votes - 1


def votes_withdraw_all(*, user: User) -> None:
    """Take back every like of `user`, ahead of deleting the account, keeping counts exact.

    Locks, in this order: the user's row, so that no new like by the user can commit (its
    foreign key check waits for this transaction, then finds no user); then every post the user
    likes or owns, in id order, as vote_cast and vote_withdraw lock a post before they change its
    likes. A withdrawal under way either commits first (and its like is not counted again here)
    or finds the like gone.
    """
    with transaction.atomic():
        list(User.objects.filter(pk=user.pk).select_for_update().values_list("pk"))
        liked = Vote.objects.filter(user=user)
        involved = Post.objects.filter(pk__in=liked.values("post_id")) | Post.objects.filter(
            owner=user
        )
        list(involved.order_by("pk").select_for_update().values_list("pk"))
        # One like per user and post: each liked post loses exactly one.
        Post.objects.filter(pk__in=liked.values("post_id")).update(votes=F("votes") - 1)
        liked.delete()
