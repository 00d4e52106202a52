"""The read side of comments: which a caller may read, the list of a post's comments, and whether
a caller may comment on a post.

Every route that reads, edits or deletes a comment starts from `comments_visible_to`, built on
posts.selectors.posts_visible_to: whoever sees a post sees its comments, the hidden ones aside.
"""

from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from comments.models import Comment
from comments.serializers import COMMENT_ROWS
from core import db
from core.db import PreparedQuery, PreparedReads
from core.exceptions import NotFound
from posts.extensions import Reader
from posts.selectors import PostNotFound, check_visible, posts_visible_to
from relationships.selectors import block_between, not_blocked
from relationships.services import BlockStands

Row = dict[str, Any]


class CommentNotFound(NotFound):
    """No comment with this id, or not one the caller may see (hidden, or on someone else's
    draft)."""


def comments_visible_to(user: Reader) -> QuerySet[Comment]:
    """Comments that are not hidden, on posts `user` may see: what a caller may read, edit or
    delete, on every route."""
    return Comment.objects.filter(hidden=False, post__in=posts_visible_to(user))


def comment_row(*, user: Reader, comment_id: int) -> Row:
    """One comment `user` may see, as a row of COMMENT_ROWS.columns; CommentNotFound otherwise."""
    row: Row | None = (
        comments_visible_to(user).filter(pk=comment_id).values(*COMMENT_ROWS.columns).first()
    )
    if row is None:
        raise CommentNotFound
    return row


def post_comments(*, user: Reader, post_id: int) -> "PreparedQuery | QuerySet[Comment, Row]":
    """The comments of post `post_id` that `user` may read, as rows of COMMENT_ROWS.columns, for
    the pages to order; PostNotFound if `user` cannot see the post.

    Not the hidden ones, and for a signed-in user not those of anyone a block stands between
    them and, either way (public routes stay as an anonymous caller reads them).
    """
    check_visible(user=user, post_id=post_id)
    values = {"post": post_id, **({"user": user.pk} if user.is_authenticated else {})}
    return db.pageable(_prepared, ("comments", "user" in values), _comments, values, model=Comment)


# The lists of comments, compiled once per shape (core.db.PreparedReads).
_prepared = PreparedReads()


def _comments(post: int, user: int | None = None) -> "QuerySet[Comment, Row]":
    comments = Comment.objects.filter(post_id=post, hidden=False)
    if user is not None:
        comments = comments.filter(not_blocked("author", user))
    rows: QuerySet[Comment, Row] = comments.values(*COMMENT_ROWS.columns)
    return rows


def check_may_comment(*, user: User, post_id: int, lock: bool = False) -> None:
    """Refuse, in the contract's order, a comment by `user` on post `post_id`: PostNotFound when
    they cannot see the post, BlockStands when a block stands between them and its owner.

    With `lock`, in a transaction, the post's row stays locked until it ends, as every change to
    a post's comments (and to its count) locks it first.
    """
    posts = posts_visible_to(user).filter(pk=post_id)
    if lock:
        posts = posts.select_for_update()
    owner_id = posts.values_list("owner_id", flat=True).first()
    if owner_id is None:
        raise PostNotFound
    if owner_id != user.pk and block_between(user.pk, owner_id):
        raise BlockStands
