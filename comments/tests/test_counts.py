"""A post's comments_count always equals its comments that are not hidden, however one comes,
goes, is hidden or shown again: through the API, with the post, with its author's account."""

import pytest

from accounts.tests.factories import UserFactory
from comments.models import Comment
from comments.tests.counts import assert_counts_exact, count_of
from comments.tests.factories import CommentFactory, HiddenCommentFactory
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_comments_written_and_deleted_through_the_api_are_counted(
    auth_client, other_client, user, api_client
):
    post = PostFactory()
    first = auth_client.post(f"/api/v1/posts/{post.id}/comments/", {"content": "One"}).json()
    other_client.post(f"/api/v1/posts/{post.id}/comments/", {"content": "Two"})
    assert count_of(post) == 2

    auth_client.delete(f"/api/v1/comments/{first['id']}/")

    assert count_of(post) == 1
    assert api_client.get(f"/api/v1/posts/{post.id}/").json()["comments_count"] == 1
    assert_counts_exact()


def test_refused_comments_and_deletions_leave_the_count_alone(auth_client, other_client):
    post = PostFactory()
    comment = CommentFactory(post=post)

    auth_client.post(f"/api/v1/posts/{post.id}/comments/", {"content": ""})
    other_client.delete(f"/api/v1/comments/{comment.id}/")
    auth_client.patch(f"/api/v1/comments/{comment.id}/", {"content": "Mine now"})

    assert count_of(post) == 1
    assert_counts_exact()


def test_a_hidden_comment_is_not_counted_and_cannot_be_deleted_twice(auth_client, user):
    post = PostFactory(owner=user)
    CommentFactory.create_batch(2, post=post)
    hidden = HiddenCommentFactory(post=post)

    assert count_of(post) == 2
    assert auth_client.delete(f"/api/v1/comments/{hidden.id}/").status_code == 404
    assert count_of(post) == 2
    assert_counts_exact()


def test_deleting_a_post_takes_its_comments_and_leaves_other_counts_alone(auth_client, user):
    doomed, other = PostFactory(owner=user), PostFactory()
    for _ in range(3):
        author = CommentFactory(post=doomed).author
        CommentFactory(post=other, author=author)

    assert auth_client.delete(f"/api/v1/posts/{doomed.id}/").status_code == 204

    assert not Comment.objects.filter(post_id=doomed.id).exists()
    assert count_of(other) == 3
    assert_counts_exact()


def test_deleting_an_account_takes_its_comments_off_other_posts(auth_client, user, other_user):
    commented = PostFactory.create_batch(3)
    for post in commented:
        CommentFactory.create_batch(2, post=post, author=user)
        CommentFactory(post=post, author=other_user)
    HiddenCommentFactory(post=commented[0], author=user)
    HiddenCommentFactory(post=commented[0], author=other_user)
    own = PostFactory(owner=user)
    CommentFactory(post=own, author=other_user)

    assert auth_client.delete("/api/v1/users/me/").status_code == 204

    assert not Post.objects.filter(pk=own.pk).exists()
    assert not Comment.objects.filter(author_id=user.id).exists()
    assert [count_of(post) for post in commented] == [1, 1, 1]
    assert Comment.objects.filter(post__in=commented).count() == 4
    assert_counts_exact()


def test_a_deleted_account_shows_in_no_count_through_the_api(auth_client, api_client):
    post = PostFactory()
    auth_client.post(f"/api/v1/posts/{post.id}/comments/", {"content": "Bye"})

    auth_client.delete("/api/v1/users/me/")

    assert api_client.get(f"/api/v1/posts/{post.id}/").json()["comments_count"] == 0
    assert api_client.get(f"/api/v1/posts/{post.id}/comments/").json()["results"] == []


def test_an_account_with_no_comments_is_deleted_as_before(auth_client):
    post = PostFactory()
    CommentFactory(post=post, author=UserFactory())

    assert auth_client.delete("/api/v1/users/me/").status_code == 204
    assert count_of(post) == 1
