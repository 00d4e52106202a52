"""GET /api/v1/posts/{id}/: a post, if the caller may see it."""

import pytest

from conftest import client_for
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db


def url(post_id):
    return f"/api/v1/posts/{post_id}/"


def test_published_post_is_visible_to_anonymous_callers(api_client):
    post = PostFactory()

    response = api_client.get(url(post.id))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == post.id
    assert body["title"] == post.title
    assert body["owner"] == {"id": post.owner.id, "username": post.owner.username}
    assert body["votes"] == 0
    assert body["voted"] is False


def test_detail_without_trailing_slash(api_client):
    post = PostFactory()

    assert api_client.get(f"/api/v1/posts/{post.id}").status_code == 200


def test_owner_sees_their_draft(user, auth_client):
    draft = DraftFactory(owner=user)

    response = auth_client.get(url(draft.id))

    assert response.status_code == 200
    assert response.json()["published"] is False


def test_draft_is_404_for_other_users(other_client, user):
    draft = DraftFactory(owner=user)

    response = other_client.get(url(draft.id))

    assert response.status_code == 404
    assert "detail" in response.json()


def test_draft_is_404_for_anonymous_callers(api_client):
    assert api_client.get(url(DraftFactory().id)).status_code == 404


@pytest.mark.parametrize("post_id", ["999999", "99999999999999999999999", "abc", "0"])
def test_unknown_id_is_404(api_client, post_id):
    assert api_client.get(url(post_id)).status_code == 404


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Bearer a.b.c"])
def test_bad_token_is_401_even_where_auth_is_optional(api_client, header):
    post = PostFactory()
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get(url(post.id))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_a_deleted_user_is_401(user):
    post = PostFactory()
    client = client_for(user)
    user.delete()

    assert client.get(url(post.id)).status_code == 401


@pytest.mark.parametrize("written", ["1_0", "\u0661\u0660", "10.0", "+10", " 10"])
def test_a_post_id_is_ascii_digits_only(api_client, written):
    """`1_0` and other scripts' digits read as 10 by int(): they name no post."""
    PostFactory.create_batch(10)

    response = api_client.get(f"/api/v1/posts/{written}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
