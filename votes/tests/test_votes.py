"""POST /api/v1/votes/: like a post (dir 1) or take the like back (dir 0)."""

import pytest

from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import BlockFactory
from votes.models import Vote
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

VOTES = "/api/v1/votes/"


def test_like_is_201_with_the_new_count(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 201
    assert response.json() == {"post_id": post.id, "votes": 2, "voted": True}
    assert Vote.objects.filter(user=user, post=post).exists()
    assert auth_client.get(f"/api/v1/posts/{post.id}/").json()["voted"] is True


def test_like_without_trailing_slash(auth_client):
    post = PostFactory()

    response = auth_client.post("/api/v1/votes", {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 201


def test_liking_twice_is_409(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 409
    assert "detail" in response.json()
    post.refresh_from_db()
    assert post.votes == 1


def test_unlike_is_200_with_the_new_count(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)
    VoteFactory(post=post)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 0}, format="json")

    assert response.status_code == 200
    assert response.json() == {"post_id": post.id, "votes": 1, "voted": False}
    assert not Vote.objects.filter(user=user, post=post).exists()


def test_unlike_without_a_like_is_404(auth_client):
    post = PostFactory()
    VoteFactory(post=post)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 0}, format="json")

    assert response.status_code == 404
    assert "detail" in response.json()
    post.refresh_from_db()
    assert post.votes == 1


def test_like_again_after_unlike(user, auth_client):
    post = PostFactory()

    for direction, status in [(1, 201), (0, 200), (1, 201)]:
        response = auth_client.post(VOTES, {"post_id": post.id, "dir": direction}, format="json")
        assert response.status_code == status

    assert response.json()["votes"] == 1


def test_a_user_may_like_their_own_post(user, auth_client):
    post = PostFactory(owner=user)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 201


def test_owner_may_like_their_own_draft(user, auth_client):
    draft = DraftFactory(owner=user)

    response = auth_client.post(VOTES, {"post_id": draft.id, "dir": 1}, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("direction", [1, 0])
def test_someone_elses_draft_is_404(auth_client, direction):
    draft = DraftFactory()

    response = auth_client.post(VOTES, {"post_id": draft.id, "dir": direction}, format="json")

    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_a_like_on_a_post_that_became_a_draft_cannot_be_taken_back(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)
    Post.objects.filter(pk=post.pk).update(published=False)

    response = auth_client.post(VOTES, {"post_id": post.id, "dir": 0}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("post_id", [999999, 0, -1, 2**63, 10**30])
@pytest.mark.parametrize("direction", [1, 0])
def test_unknown_post_is_404(auth_client, post_id, direction):
    response = auth_client.post(VOTES, {"post_id": post_id, "dir": direction}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"dir": 1}, "post_id"),
        ({"post_id": None, "dir": 1}, "post_id"),
        ({"post_id": "5", "dir": 1}, "post_id"),
        ({"post_id": 5.0, "dir": 1}, "post_id"),
        ({"post_id": 5.5, "dir": 1}, "post_id"),
        ({"post_id": True, "dir": 1}, "post_id"),
        ({"post_id": [5], "dir": 1}, "post_id"),
        ({"post_id": "{id}"}, "dir"),
        ({"post_id": "{id}", "dir": None}, "dir"),
        ({"post_id": "{id}", "dir": 2}, "dir"),
        ({"post_id": "{id}", "dir": -1}, "dir"),
        ({"post_id": "{id}", "dir": "1"}, "dir"),
        ({"post_id": "{id}", "dir": 1.0}, "dir"),
        ({"post_id": "{id}", "dir": True}, "dir"),
        ({"post_id": "{id}", "dir": False}, "dir"),
    ],
)
def test_bad_body_is_400_keyed_by_field(auth_client, payload, field):
    post = PostFactory()
    payload = {key: post.id if value == "{id}" else value for key, value in payload.items()}

    response = auth_client.post(VOTES, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Vote.objects.exists()


def test_vote_without_token_is_401(api_client):
    post = PostFactory()

    response = api_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Vote.objects.exists()


def test_checks_come_in_order_token_body_visibility_state(user, api_client, auth_client):
    """401 before 400 before 404 before 409 / 404, as the contract orders them for votes."""
    draft, post = DraftFactory(), PostFactory()
    VoteFactory(post=post, user=user)

    assert api_client.post(VOTES, {"post_id": "x", "dir": 9}, format="json").status_code == 401
    assert (
        auth_client.post(VOTES, {"post_id": draft.id, "dir": 9}, format="json").status_code == 400
    )
    assert (
        auth_client.post(VOTES, {"post_id": draft.id, "dir": 1}, format="json").status_code == 404
    )
    assert auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json").status_code == 409


def test_non_json_body_is_415(auth_client):
    response = auth_client.post(
        VOTES, "post_id=1&dir=1", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415


def test_unparsable_json_is_400(auth_client):
    response = auth_client.post(VOTES, "{", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_are_405(auth_client, method):
    assert getattr(auth_client, method)(VOTES).status_code == 405


@pytest.mark.parametrize("blocker", ["owner", "liker"])
def test_no_like_across_a_block_either_way_but_a_like_may_be_taken_back(
    auth_client, user, other_user, blocker
):
    post = PostFactory(owner=other_user)
    auth_client.post("/api/v1/votes/", {"post_id": post.id, "dir": 1}, format="json")
    pair = (other_user, user) if blocker == "owner" else (user, other_user)
    BlockFactory(blocker=pair[0], blocked=pair[1])
    auth_client.post("/api/v1/votes/", {"post_id": post.id, "dir": 0}, format="json")

    response = auth_client.post("/api/v1/votes/", {"post_id": post.id, "dir": 1}, format="json")

    assert response.status_code == 403
    assert "block" in response.json()["detail"]
    post.refresh_from_db()
    assert post.votes == 0
