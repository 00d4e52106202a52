"""POST /api/v1/posts/{id}/comments/: whoever sees a post may comment on it, blocks aside."""

import pytest

from comments.models import COMMENT_MAX_LENGTH, Comment
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

BLOCKED = "You cannot do this while a block stands between you and this user."


def comments_url(post):
    return f"/api/v1/posts/{post.id}/comments/"


def test_create_answers_201_with_the_comment_and_its_location(auth_client, user):
    post = PostFactory()

    response = auth_client.post(comments_url(post), {"content": "Well put."})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "post_id", "content", "created_at", "updated_at", "author"}
    assert body["post_id"] == post.id
    assert body["content"] == "Well put."
    assert body["author"] == {"id": user.id, "username": user.username}
    assert body["created_at"].endswith("Z")
    assert body["updated_at"] == body["created_at"]
    assert response["Location"] == f"http://testserver/api/v1/comments/{body['id']}/"
    assert auth_client.get(response["Location"]).json() == body
    assert Comment.objects.get(pk=body["id"]).author == user


def test_comment_without_trailing_slash(auth_client):
    post = PostFactory()

    response = auth_client.post(f"/api/v1/posts/{post.id}/comments", {"content": "No slash"})

    assert response.status_code == 201


def test_owner_may_comment_on_their_own_draft(auth_client, user):
    draft = DraftFactory(owner=user)

    assert auth_client.post(comments_url(draft), {"content": "Note to self"}).status_code == 201


def test_someone_elses_draft_is_404(other_client):
    draft = DraftFactory()

    response = other_client.post(comments_url(draft), {"content": "Found it"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Comment.objects.exists()


@pytest.mark.parametrize("post_id", ["999999", "9223372036854775808"])
def test_unknown_post_is_404(auth_client, post_id):
    response = auth_client.post(f"/api/v1/posts/{post_id}/comments/", {"content": "Hello?"})

    assert response.status_code == 404


def test_commenting_needs_a_token(api_client):
    post = PostFactory()

    response = api_client.post(comments_url(post), {"content": "Anonymous"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("blocker", ["post owner", "caller"])
def test_no_comment_across_a_block_either_way(auth_client, user, blocker):
    post = PostFactory()
    if blocker == "post owner":
        BlockFactory(blocker=post.owner, blocked=user)
    else:
        BlockFactory(blocker=user, blocked=post.owner)

    response = auth_client.post(comments_url(post), {"content": "Let me in"})

    assert response.status_code == 403
    assert response.json() == {"detail": BLOCKED}
    assert not Comment.objects.exists()


def test_a_block_between_others_changes_nothing(auth_client, user):
    post = PostFactory()
    BlockFactory(blocker=post.owner)
    BlockFactory(blocked=user)

    assert auth_client.post(comments_url(post), {"content": "Still here"}).status_code == 201


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"content": "x" * (COMMENT_MAX_LENGTH + 1)}, "no more than 2000 characters"),
        ({"content": ""}, "may not be blank"),
        ({"content": "  \n\t "}, "may not be blank"),
        ({"content": 5}, "Not a valid string"),
        ({"content": ["a list"]}, "Not a valid string"),
        ({"content": None}, "may not be null"),
        ({}, "required"),
        ({"content": "nul \x00 here"}, "Null characters are not allowed"),
    ],
)
def test_invalid_content_is_400_saying_why(auth_client, payload, message):
    post = PostFactory()

    response = auth_client.post(comments_url(post), payload)

    assert response.status_code == 400
    assert list(response.json()) == ["content"]
    assert message in response.json()["content"][0]
    assert not Comment.objects.exists()


def test_the_longest_comment_is_accepted(auth_client):
    post = PostFactory()

    response = auth_client.post(comments_url(post), {"content": "x" * COMMENT_MAX_LENGTH})

    assert response.status_code == 201


def test_content_is_stored_without_surrounding_whitespace(auth_client):
    post = PostFactory()

    response = auth_client.post(comments_url(post), {"content": "  Trimmed\n"})

    assert response.json()["content"] == "Trimmed"


def test_other_fields_are_ignored(auth_client, user, other_user):
    post, elsewhere = PostFactory(), PostFactory()
    payload = {
        "content": "Mine",
        "id": 999,
        "post_id": elsewhere.id,
        "author": {"id": other_user.id},
        "author_id": other_user.id,
        "hidden": True,
        "created_at": "2001-01-01T00:00:00Z",
    }

    body = auth_client.post(comments_url(post), payload).json()

    comment = Comment.objects.get(pk=body["id"])
    assert (comment.post_id, comment.author_id, comment.hidden) == (post.id, user.id, False)
    assert body["id"] != 999
    assert comment.created_at.year > 2001


def test_non_json_comment_is_415(auth_client):
    post = PostFactory()

    response = auth_client.post(comments_url(post), "content=x", content_type="text/plain")

    assert response.status_code == 415


def test_checks_come_in_order_token_visibility_block_body(api_client, auth_client, user):
    """401 before 404 before 403 before 400, as the contract orders them."""
    draft, blocked = DraftFactory(), PostFactory()
    BlockFactory(blocker=blocked.owner, blocked=user)
    bad_body = {"content": 5}

    assert api_client.post(comments_url(draft), bad_body).status_code == 401
    assert auth_client.post(comments_url(draft), bad_body).status_code == 404
    assert auth_client.post(comments_url(blocked), bad_body).status_code == 403
    not_json = auth_client.post(comments_url(draft), "x", content_type="text/plain")
    assert not_json.status_code == 404
