"""The read side of likes: who likes a post."""

from django.db.models import QuerySet

from posts.extensions import Reader
from posts.selectors import check_visible
from votes.models import Vote


def likes_of(*, user: Reader, post_id: int) -> QuerySet[Vote]:
    """The likes of a post `user` may see, with their users; PostNotFound otherwise."""
    check_visible(user=user, post_id=post_id)
    return Vote.objects.filter(post_id=post_id).select_related("user")
