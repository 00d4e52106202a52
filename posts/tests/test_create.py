"""POST /api/v1/posts/: write a post."""

import pytest

from accounts.tests.factories import UserFactory
from posts.models import Post

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def test_create_answers_201_with_the_post(auth_client, user):
    response = auth_client.post(POSTS, {"title": "Hello", "content": "First post"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "title",
        "content",
        "published",
        "created_at",
        "updated_at",
        "published_at",
        "owner",
        "votes",
        "voted",
        "comments_count",
    }
    assert body["title"] == "Hello"
    assert body["content"] == "First post"
    assert body["published"] is True
    assert body["owner"] == {"id": user.id, "username": user.username}
    assert body["votes"] == 0
    assert body["voted"] is False
    assert body["created_at"].endswith("Z")
    assert body["updated_at"] == body["created_at"] == body["published_at"]
    assert body["comments_count"] == 0
    assert Post.objects.get(pk=body["id"]).owner == user


def test_create_without_trailing_slash_is_not_redirected(auth_client):
    response = auth_client.post("/api/v1/posts", {"title": "t", "content": "c"}, format="json")

    assert response.status_code == 201


def test_create_a_draft(auth_client):
    response = auth_client.post(
        POSTS, {"title": "t", "content": "c", "published": False}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["published"] is False


def test_create_without_token_is_401(api_client):
    response = api_client.post(POSTS, {"title": "t", "content": "c"}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()
    assert not Post.objects.exists()


def test_create_with_a_bad_token_is_401_before_the_body_is_read(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = api_client.post(POSTS, "{not json", content_type="application/json")

    assert response.status_code == 401


def test_owner_is_always_the_caller_and_read_only_fields_are_ignored(auth_client, user):
    someone = UserFactory()
    response = auth_client.post(
        POSTS,
        {
            "title": "t",
            "content": "c",
            "id": 999,
            "owner": someone.id,
            "owner_id": someone.id,
            "votes": 50,
            "voted": True,
            "created_at": "2000-01-01T00:00:00Z",
            "updated_at": "2000-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] != 999
    assert body["owner"]["id"] == user.id
    assert body["votes"] == 0
    assert body["voted"] is False
    assert not body["created_at"].startswith("2000")
    assert Post.objects.get(pk=body["id"]).votes == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"content": "c"}, "title"),
        ({"title": "t"}, "content"),
        ({"title": "", "content": "c"}, "title"),
        ({"title": "   ", "content": "c"}, "title"),
        ({"title": "t", "content": ""}, "content"),
        ({"title": "t", "content": " \n "}, "content"),
        ({"title": "x" * 256, "content": "c"}, "title"),
        ({"title": "t", "content": "x" * 20_001}, "content"),
        # Over the limit as sent, even if trimming would bring it under.
        ({"title": "   " + "x" * 254, "content": "c"}, "title"),
        ({"title": "t", "content": "x" * 20_000 + "\n"}, "content"),
        ({"title": None, "content": "c"}, "title"),
        ({"title": 5, "content": "c"}, "title"),
        ({"title": True, "content": "c"}, "title"),
        ({"title": "t", "content": ["c"]}, "content"),
        ({"title": "t", "content": "c", "published": 0}, "published"),
        ({"title": "t", "content": "c", "published": 1}, "published"),
        ({"title": "t", "content": "c", "published": "true"}, "published"),
        ({"title": "t", "content": "c", "published": None}, "published"),
    ],
)
def test_invalid_post_is_400_keyed_by_field(auth_client, payload, field):
    response = auth_client.post(POSTS, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert isinstance(response.json()[field], list)
    assert not Post.objects.exists()


def test_title_and_content_at_their_maximum_lengths_are_accepted(auth_client):
    response = auth_client.post(POSTS, {"title": "x" * 255, "content": "y" * 20_000}, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_non_json_body_is_415(auth_client, content_type):
    response = auth_client.post(POSTS, "title=t&content=c", content_type=content_type)

    assert response.status_code == 415


def test_unparsable_json_is_400_with_detail(auth_client):
    response = auth_client.post(POSTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_json_that_is_not_an_object_is_400(auth_client):
    response = auth_client.post(POSTS, [1, 2], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
