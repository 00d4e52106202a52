"""Post writes with rules beyond their own row."""

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.tokens import UserGone
from posts.models import Post
from posts.selectors import PostNotFound


def post_create(*, owner: User, title: str, content: str, published: bool = True) -> Post:
    """Write a post. Its owner's row is checked by the database as the post commits: an owner
    deleted meanwhile (the request was authenticated just before) is a 401, not a 500."""
    try:
        with transaction.atomic():
            return Post.objects.create(
                owner=owner, title=title, content=content, published=published
            )
    except IntegrityError:
        if not User.objects.filter(pk=owner.pk).exists():
            raise UserGone from None
        raise


def post_update(*, post: Post, **changes: str | bool) -> Post:
    """Change a post's fields. Its row is locked first, as deleting it does: an edit that comes
    second to the deletion finds no post, instead of saving over nothing."""
    with transaction.atomic():
        if not Post.objects.select_for_update().filter(pk=post.pk).exists():
            raise PostNotFound
        for field, value in changes.items():
            setattr(post, field, value)
        post.save()
    return post


def post_delete(*, post: Post) -> None:
    """Delete a post with its likes.

    The post's row is locked first, as casting a like does: a like in flight either commits
    before (and goes with the post) or finds no post, instead of failing this delete's
    foreign key check at commit.
    """
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).exists()
        post.delete()
