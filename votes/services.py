"""Likes: casting and taking them back, with each post's counter kept equal to its Vote rows."""

from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound

from posts.models import Post
from votes.models import Vote

POST_NOT_FOUND = "No post with this id."


class AlreadyVoted(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You already like this post."
    default_code = "already_voted"


class NotVoted(NotFound):
    default_detail = "You do not like this post."
    default_code = "not_voted"


def _locked_votes(*, user, post_id):
    """The like count of a post `user` may see, with the post's row locked until commit.

    The lock queues concurrent likes of one post, so the count read here stays exact; SQLite
    needs none (its IMMEDIATE transactions already run one writer at a time).
    """
    votes = (
        Post.objects.visible_to(user)
        .select_for_update()
        .filter(pk=post_id)
        .values_list("votes", flat=True)
        .first()
    )
    if votes is None:
        raise NotFound(POST_NOT_FOUND)
    return votes


def vote_cast(*, user, post_id):
    """Like a post; returns its new like count. A like given twice is a 409, even at once."""
    try:
        with transaction.atomic():
            votes = _locked_votes(user=user, post_id=post_id)
            Vote.objects.create(user=user, post_id=post_id)
            Post.objects.filter(pk=post_id).update(votes=F("votes") + 1)
    except IntegrityError:
        raise AlreadyVoted from None
    return votes + 1


def vote_withdraw(*, user, post_id):
    """Take a like back; returns the post's new like count. Not liked: 404."""
    with transaction.atomic():
        votes = _locked_votes(user=user, post_id=post_id)
        deleted, _ = Vote.objects.filter(user=user, post_id=post_id).delete()
        if not deleted:
            raise NotVoted
        Post.objects.filter(pk=post_id).update(votes=F("votes") - 1)
    return votes - 1


def votes_withdraw_all(*, user):
    """Take back every like of `user`, ahead of deleting the account, keeping counts exact.

    Locks the user's posts, then the user's row: a like of those posts waits for this
    transaction (and then finds no post), and a like by this user cannot commit until it ends
    (the foreign key check needs the user's row), so no like escapes the counts.
    """
    with transaction.atomic():
        list(Post.objects.filter(owner=user).order_by("pk").select_for_update().values("pk"))
        list(type(user).objects.filter(pk=user.pk).select_for_update().values("pk"))
        liked = Vote.objects.filter(user=user)
        Post.objects.filter(pk__in=liked.values("post_id")).update(votes=F("votes") - 1)
        liked.delete()
