"""Comments: writing, editing, deleting and hiding them, with each post's comments_count kept
equal to its comments that are not hidden.

Every change to a post's comments, or to whether one is hidden, locks the post's row first and
moves its count with an F() update in the same transaction: two changes to one post's comments
take turns, and the second sees what the first did. A change to the comments of many posts at
once (a moderator's action, an account's deletion) locks them all first, in id order.
"""

from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from accounts.models import User
from accounts.tokens import UserGone
from comments.models import Comment
from comments.selectors import CommentNotFound, check_may_comment
from core.locks import lock
from posts.models import Post


def comment_create(*, author: User, post_id: int, content: str) -> Comment:
    """Write a comment on a post `author` may comment on (check_may_comment), and count it.

    Locks the author's row, then the post's: the order in which an account's deletion takes
    them (comments_delete_all), so that a comment and the deletion of its author wait for each
    other instead of each holding what the other needs. The author's lock (FOR NO KEY UPDATE)
    keeps the row from being deleted until this commits, yet lets the author's likes and posts
    check their foreign keys meanwhile. A deletion of the post in flight either commits first
    (this finds no post) or waits for this one (and the comment goes with the post).
    """
    with transaction.atomic():
        if not User.objects.select_for_update(no_key=True).filter(pk=author.pk).exists():
            # Deleted after this request was authenticated.
            raise UserGone
        check_may_comment(user=author, post_id=post_id, lock=True)
        comment = Comment.objects.create(post_id=post_id, author_id=author.pk, content=content)
        Post.objects.filter(pk=post_id).update(comments_count=F("comments_count") + 1)
    return comment


def comment_update(*, comment: Comment, content: str) -> Comment:
    """Change a comment's content, as its author does. Its row is locked first: an edit that
    comes second to the comment's deletion or hiding finds no comment instead of saving over it.
    A block that now stands between the author and the post's owner refuses it, as it refuses a
    new comment."""
    with transaction.atomic():
        if not Comment.objects.select_for_update().filter(pk=comment.pk, hidden=False).exists():
            raise CommentNotFound
        check_may_comment(user=User(pk=comment.author_id), post_id=comment.post_id)
        comment.content = content
        comment.save()
    return comment


def comment_delete(*, comment: Comment) -> None:
    """Delete a comment and take it off its post's count. Of two deletions of one comment at
    once, the second finds none (CommentNotFound); one hidden meanwhile is not counted off
    twice."""
    with transaction.atomic():
        lock(Post.objects.filter(pk=comment.post_id))
        deleted, _ = Comment.objects.filter(pk=comment.pk, hidden=False).delete()
        if not deleted:
            raise CommentNotFound
        Post.objects.filter(pk=comment.post_id).update(comments_count=F("comments_count") - 1)


def comments_hide(*, comments: QuerySet[Comment]) -> int:
    """Hide `comments` (a moderator's action); the number that were shown and are now hidden,
    which their posts' counts lose."""
    return _set_hidden(_frozen(comments), hidden=True)


def comments_show(*, comments: QuerySet[Comment]) -> int:
    """Show hidden `comments` again (a moderator's action); the number shown again, which their
    posts' counts regain."""
    return _set_hidden(_frozen(comments), hidden=False)


def comments_delete(*, comments: QuerySet[Comment]) -> int:
    """Delete `comments` (a moderator's action), taking those that were shown off their posts'
    counts; the number deleted."""
    return _delete(_frozen(comments))


def comments_delete_all(*, user: User) -> None:
    """Delete every comment of `user`, ahead of deleting the account, keeping other posts'
    counts exact.

    Locks in the order a comment takes them, the author before the post: the user's row first
    (a comment of theirs under way commits before, and none starts until the account is gone),
    then every post the user commented on or owns, in id order. The deletion locks the user
    first anyway: relationships' receiver, which runs before this one, locks the user with the
    people they follow, in id order.
    """
    written = Comment.objects.filter(author=user)
    with transaction.atomic():
        lock(User.objects.filter(pk=user.pk))
        lock(
            Post.objects.filter(pk__in=written.values("post_id")) | Post.objects.filter(owner=user)
        )
        _delete(written)


def _frozen(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """`comments` by their ids, read once: a selection filtered on `hidden` (the admin's list
    filter) would otherwise gain or lose comments between the statements that lock their posts,
    count them and change them."""
    return Comment.objects.filter(pk__in=list(comments.values_list("pk", flat=True)))


def _set_hidden(chosen: QuerySet[Comment], *, hidden: bool) -> int:
    """Hide or show `chosen` (a set that hiding does not change), moving their posts' counts."""
    with transaction.atomic():
        lock(Post.objects.filter(pk__in=chosen.values("post_id")))
        changing = chosen.filter(hidden=not hidden)
        _count(changing, by=-1 if hidden else 1)
        return changing.update(hidden=hidden)


def _delete(chosen: QuerySet[Comment]) -> int:
    """Delete `chosen` (a set that hiding does not change), taking the shown ones off their
    posts' counts."""
    with transaction.atomic():
        lock(Post.objects.filter(pk__in=chosen.values("post_id")))
        _count(chosen.filter(hidden=False), by=-1)
        deleted, _ = chosen.delete()
    return deleted


def _count(comments: QuerySet[Comment], *, by: int) -> None:
    """Move the count of each post that `comments` are on by `by` for each of them, in one
    statement. The posts are locked: their comments hold still until the transaction ends."""
    on_post = (
        comments.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Post.objects.filter(pk__in=comments.values("post_id")).update(
        comments_count=F("comments_count") + Subquery(on_post) * by
    )
