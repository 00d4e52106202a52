"""The read side of likes: who likes a post."""

from django.db.models import QuerySet

from posts.extensions import Reader
from posts.selectors import PostNotFound, posts_visible_to
from votes.models import Vote


def likes_of(*, user: Reader, post_id: int) -> QuerySet[Vote]:
    """The likes of a post `user` may see, with their users; PostNotFound otherwise."""
    if not 0 < post_id <= 2**63 - 1 or not posts_visible_to(user).filter(pk=post_id).exists():
        raise PostNotFound
    return Vote.objects.filter(post_id=post_id).select_related("user")
