"""Comments written and deleted on one post at the same moment leave its comments_count equal
to its comments, and a comment deleted twice at once is deleted once: one 204, the other 404.

Real threads with their own database connections, so these tests commit for real. On PostgreSQL
the requests race for the post's row; on SQLite, whose writes take turns, they must give the
same answers.
"""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from comments.models import Comment
from comments.tests.factories import CommentFactory
from conftest import client_for
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

BURST = 12


def send_at_once(calls):
    """Send each (client, method, url, body) from a thread of its own, all released at the same
    moment; the status codes, in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def send(index, client, method, url, body):
        try:
            barrier.wait()
            statuses[index] = getattr(client, method)(url, body).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_comments_written_and_deleted_at_once_are_counted_exactly():
    post = PostFactory()
    doomed = [CommentFactory(post=post) for _ in range(BURST)]
    writers = [UserFactory() for _ in range(BURST)]
    calls = [
        (client_for(user), "post", f"/api/v1/posts/{post.id}/comments/", {"content": "Hi"})
        for user in writers
    ] + [
        (client_for(comment.author), "delete", f"/api/v1/comments/{comment.id}/", None)
        for comment in doomed
    ]

    statuses = send_at_once(calls)

    assert statuses == [201] * BURST + [204] * BURST
    post.refresh_from_db()
    assert post.comments_count == BURST == Comment.objects.filter(post=post).count()
    assert set(Comment.objects.values_list("author_id", flat=True)) == {u.id for u in writers}


def test_a_comment_deleted_by_its_author_and_the_post_s_owner_at_once_goes_once():
    post = PostFactory()
    comments = [CommentFactory(post=post) for _ in range(BURST // 2)]
    kept = CommentFactory(post=post)
    calls = []
    for comment in comments:
        url = f"/api/v1/comments/{comment.id}/"
        calls += [
            (client_for(comment.author), "delete", url, None),
            (client_for(post.owner), "delete", url, None),
        ]

    statuses = send_at_once(calls)

    for author_status, owner_status in zip(statuses[::2], statuses[1::2], strict=True):
        assert sorted([author_status, owner_status]) == [204, 404]
    post.refresh_from_db()
    assert post.comments_count == 1
    assert list(Comment.objects.all()) == [kept]
