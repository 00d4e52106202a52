"""DELETE /api/v1/posts/{id}/: the owner deletes a post, and its likes go with it."""

import pytest

from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db


def url(post):
    return f"/api/v1/posts/{post.id}/"


def test_owner_deletes_their_draft(user, auth_client):
    draft = DraftFactory(owner=user)

    assert auth_client.delete(url(draft)).status_code == 204


def test_delete_without_trailing_slash(user, auth_client):
    post = PostFactory(owner=user)

    assert auth_client.delete(f"/api/v1/posts/{post.id}").status_code == 204


def test_someone_elses_post_is_403(other_client):
    post = PostFactory()

    response = other_client.delete(url(post))

    assert response.status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()


def test_someone_elses_draft_is_404(other_client):
    draft = DraftFactory()

    assert other_client.delete(url(draft)).status_code == 404
    assert Post.objects.filter(pk=draft.pk).exists()


def test_delete_without_token_is_401(api_client):
    post = PostFactory()

    assert api_client.delete(url(post)).status_code == 401
    assert Post.objects.filter(pk=post.pk).exists()


def test_unknown_post_is_404(auth_client):
    assert auth_client.delete("/api/v1/posts/999999/").status_code == 404


def test_deleting_a_user_deletes_their_posts(user):
    PostFactory.create_batch(2, owner=user)

    user.delete()

    assert not Post.objects.exists()
