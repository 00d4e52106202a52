"""PATCH /api/v1/comments/{id}/: a comment's author changes its content."""

import pytest

from comments.models import COMMENT_MAX_LENGTH, Comment
from comments.tests.factories import CommentFactory, HiddenCommentFactory
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def url(comment):
    return f"/api/v1/comments/{comment.id}/"


def test_the_author_changes_the_content(auth_client, user):
    comment = CommentFactory(author=user, content="Frist")

    response = auth_client.patch(url(comment), {"content": "First"})

    assert response.status_code == 200
    body = response.json()
    assert body["content"] == "First"
    assert body["id"] == comment.id
    assert body["author"]["id"] == user.id
    comment.refresh_from_db()
    assert comment.content == "First"


def test_an_edit_moves_updated_at_but_not_created_at(auth_client, user):
    comment = CommentFactory(author=user)
    before = auth_client.get(url(comment)).json()

    after = auth_client.patch(url(comment), {"content": "Edited"}).json()

    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]


def test_an_edit_keeps_the_count_and_the_comment_s_place(auth_client, user):
    post = PostFactory()
    comment, later = CommentFactory(post=post, author=user), CommentFactory(post=post)

    auth_client.patch(url(comment), {"content": "Edited"})

    listed = auth_client.get(f"/api/v1/posts/{post.id}/comments/").json()["results"]
    assert [c["id"] for c in listed] == [comment.id, later.id]
    post.refresh_from_db()
    assert post.comments_count == 2


def test_a_patch_without_content_changes_nothing(auth_client, user):
    comment = CommentFactory(author=user, content="Kept")
    before = auth_client.get(url(comment)).json()

    response = auth_client.patch(url(comment), {"post_id": 1, "hidden": True})

    assert response.status_code == 200
    assert response.json() == before


def test_someone_elses_comment_is_403_even_on_your_own_post(auth_client, user):
    comment = CommentFactory(post=PostFactory(owner=user), content="Theirs")

    response = auth_client.patch(url(comment), {"content": "Mine now"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author may change this comment."}
    comment.refresh_from_db()
    assert comment.content == "Theirs"


def test_a_comment_on_someone_elses_draft_is_404(other_client, other_user):
    draft = DraftFactory()
    comment = CommentFactory(post=draft, author=draft.owner)

    assert other_client.patch(url(comment), {"content": "Found it"}).status_code == 404


def test_a_hidden_comment_is_404_to_its_author(auth_client, user):
    comment = HiddenCommentFactory(author=user, content="Hidden")

    assert auth_client.patch(url(comment), {"content": "Unhidden?"}).status_code == 404
    comment.refresh_from_db()
    assert (comment.content, comment.hidden) == ("Hidden", True)


def test_an_unknown_comment_is_404(auth_client):
    assert auth_client.patch("/api/v1/comments/999999/", {"content": "x"}).status_code == 404


def test_editing_needs_a_token(api_client):
    comment = CommentFactory()

    assert api_client.patch(url(comment), {"content": "x"}).status_code == 401


def test_no_edit_across_a_block(auth_client, user):
    post = PostFactory()
    comment = CommentFactory(post=post, author=user, content="Before the block")
    BlockFactory(blocker=post.owner, blocked=user)

    response = auth_client.patch(url(comment), {"content": "After the block"})

    assert response.status_code == 403
    assert "block" in response.json()["detail"]
    comment.refresh_from_db()
    assert comment.content == "Before the block"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"content": "x" * (COMMENT_MAX_LENGTH + 1)}, "no more than 2000 characters"),
        ({"content": " "}, "may not be blank"),
        ({"content": 5}, "Not a valid string"),
        ({"content": None}, "may not be null"),
    ],
)
def test_invalid_content_is_400_saying_why(auth_client, user, payload, message):
    comment = CommentFactory(author=user, content="Kept")

    response = auth_client.patch(url(comment), payload)

    assert response.status_code == 400
    assert message in response.json()["content"][0]
    comment.refresh_from_db()
    assert comment.content == "Kept"


def test_put_is_not_allowed(auth_client, user):
    comment = CommentFactory(author=user)

    assert auth_client.put(url(comment), {"content": "Replaced"}).status_code == 405


def test_checks_come_in_order_token_visibility_ownership_body(
    api_client, auth_client, other_client, user
):
    """401 before 404 before 403 before 400, as the contract orders them."""
    on_draft = CommentFactory(post=DraftFactory(owner=user), author=user)
    mine_across_a_block = CommentFactory(author=user)
    BlockFactory(blocker=mine_across_a_block.post.owner, blocked=user)
    bad_body = {"content": 5}

    assert api_client.patch(url(on_draft), bad_body).status_code == 401
    assert other_client.patch(url(on_draft), bad_body).status_code == 404
    assert other_client.patch(url(CommentFactory()), bad_body).status_code == 403
    assert auth_client.patch(url(mine_across_a_block), bad_body).status_code == 403
    assert Comment.objects.filter(content="5").count() == 0
