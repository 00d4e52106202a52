"""DELETE /api/v1/comments/{id}/: by the comment's author, or by the owner of its post."""

import pytest

from comments.models import Comment
from comments.tests.factories import CommentFactory, HiddenCommentFactory
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def url(comment):
    return f"/api/v1/comments/{comment.id}/"


def test_the_author_deletes_their_comment(auth_client, user):
    comment = CommentFactory(author=user)

    response = auth_client.delete(url(comment))

    assert response.status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert auth_client.get(url(comment)).status_code == 404


def test_the_post_s_owner_deletes_a_comment_on_it(auth_client, user):
    comment = CommentFactory(post=PostFactory(owner=user))

    assert auth_client.delete(url(comment)).status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_post_s_owner_deletes_a_blocked_user_s_comment(auth_client, user):
    comment = CommentFactory(post=PostFactory(owner=user))
    BlockFactory(blocker=user, blocked=comment.author)

    assert auth_client.delete(url(comment)).status_code == 204


def test_delete_without_trailing_slash(auth_client, user):
    comment = CommentFactory(author=user)

    assert auth_client.delete(f"/api/v1/comments/{comment.id}").status_code == 204


def test_someone_elses_comment_on_someone_elses_post_is_403(auth_client):
    comment = CommentFactory()

    response = auth_client.delete(url(comment))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the author, or the owner of the post, may delete this comment."
    }
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_on_someone_elses_draft_is_404(auth_client):
    draft = DraftFactory()
    comment = CommentFactory(post=draft, author=draft.owner)

    assert auth_client.delete(url(comment)).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_hidden_comment_is_404_even_to_the_post_s_owner(auth_client, user):
    comment = HiddenCommentFactory(post=PostFactory(owner=user))

    assert auth_client.delete(url(comment)).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_twice_is_404(auth_client, user):
    comment = CommentFactory(author=user)
    auth_client.delete(url(comment))

    assert auth_client.delete(url(comment)).status_code == 404


def test_deleting_needs_a_token(api_client):
    comment = CommentFactory()

    assert api_client.delete(url(comment)).status_code == 401
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_checks_come_in_order_token_visibility_ownership(api_client, auth_client):
    draft = DraftFactory()
    on_draft = CommentFactory(post=draft, author=draft.owner)

    assert api_client.delete(url(on_draft)).status_code == 401
    assert auth_client.delete(url(on_draft)).status_code == 404
    assert auth_client.delete(url(CommentFactory())).status_code == 403
