"""Post writes with rules beyond their own row."""

from django.db import transaction

from posts.models import Post


def post_delete(*, post):
    """Delete a post with its likes.

    The post's row is locked first, as casting a like does: a like in flight either commits
    before (and goes with the post) or finds no post, instead of failing this delete's
    foreign key check at commit.
    """
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).exists()
        post.delete()
