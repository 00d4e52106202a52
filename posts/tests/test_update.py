"""PUT and PATCH /api/v1/posts/{id}/: only the owner changes a post."""

import pytest

from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db


def url(post):
    return f"/api/v1/posts/{post.id}/"


def test_put_replaces_title_and_content(user, auth_client):
    post = PostFactory(owner=user)

    response = auth_client.put(url(post), {"title": "New", "content": "Body"}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["content"] == "Body"
    post.refresh_from_db()
    assert (post.title, post.content) == ("New", "Body")


def test_put_without_published_keeps_a_draft_a_draft(user, auth_client):
    draft = DraftFactory(owner=user)

    response = auth_client.put(url(draft), {"title": "t", "content": "c"}, format="json")

    assert response.status_code == 200
    assert response.json()["published"] is False
    draft.refresh_from_db()
    assert draft.published is False


def test_put_can_publish_a_draft(user, auth_client):
    draft = DraftFactory(owner=user)

    response = auth_client.put(
        url(draft), {"title": "t", "content": "c", "published": True}, format="json"
    )

    assert response.json()["published"] is True


def test_put_without_title_is_400(user, auth_client):
    post = PostFactory(owner=user)

    response = auth_client.put(url(post), {"content": "c"}, format="json")

    assert response.status_code == 400
    assert "title" in response.json()


def test_patch_changes_only_the_fields_sent(user, auth_client):
    post = PostFactory(owner=user, title="Old", content="Kept")

    response = auth_client.patch(url(post), {"published": False}, format="json")

    assert response.status_code == 200
    assert response.json()["published"] is False
    assert response.json()["title"] == "Old"
    assert response.json()["content"] == "Kept"


def test_update_moves_updated_at_but_not_created_at(user, auth_client):
    post = PostFactory(owner=user)
    before = auth_client.get(url(post)).json()

    after = auth_client.patch(url(post), {"title": "Changed"}, format="json").json()

    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]


@pytest.mark.parametrize(
    "payload",
    [{"id": 999}, {"owner": 1}, {"owner_id": 1}, {"votes": 99}, {"voted": True}, {"x": 1}],
)
def test_read_only_and_unknown_fields_are_ignored(user, auth_client, other_user, payload):
    post = PostFactory(owner=user)

    response = auth_client.patch(url(post), payload, format="json")

    assert response.status_code == 200
    post.refresh_from_db()
    assert post.pk == response.json()["id"]
    assert post.owner == user
    assert post.votes == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": 5}, "title"),
        ({"content": "x" * 20_001}, "content"),
        ({"published": 0}, "published"),
        ({"published": "false"}, "published"),
    ],
)
def test_invalid_patch_is_400(user, auth_client, payload, field):
    post = PostFactory(owner=user)

    response = auth_client.patch(url(post), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_someone_elses_post_is_403(other_client, method):
    post = PostFactory(title="Theirs")

    response = getattr(other_client, method)(
        url(post), {"title": "Mine now", "content": "c"}, format="json"
    )

    assert response.status_code == 403
    assert "detail" in response.json()
    post.refresh_from_db()
    assert post.title == "Theirs"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_someone_elses_draft_is_404(other_client, method):
    draft = DraftFactory()

    response = getattr(other_client, method)(url(draft), {"title": "t", "content": "c"})

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_without_token_is_401(api_client, method):
    post = PostFactory()

    response = getattr(api_client, method)(url(post), {"title": "t", "content": "c"})

    assert response.status_code == 401


def test_unknown_post_is_404(auth_client):
    assert auth_client.patch("/api/v1/posts/999999/", {"title": "t"}).status_code == 404


def test_checks_come_in_order_token_visibility_ownership_body(api_client, other_client):
    """401 before 404 before 403 before 400, as the contract orders them."""
    draft, post = DraftFactory(), PostFactory()
    bad_body = {"title": 5}

    assert api_client.patch(url(draft), bad_body, format="json").status_code == 401
    assert other_client.patch(url(draft), bad_body, format="json").status_code == 404
    assert other_client.patch(url(post), bad_body, format="json").status_code == 403


def test_patch_without_trailing_slash(user, auth_client):
    post = PostFactory(owner=user)

    response = auth_client.patch(f"/api/v1/posts/{post.id}", {"title": "x"}, format="json")

    assert response.status_code == 200


def test_non_json_update_is_415(user, auth_client):
    post = PostFactory(owner=user)

    response = auth_client.patch(url(post), "title=x", content_type="text/plain")

    assert response.status_code == 415
