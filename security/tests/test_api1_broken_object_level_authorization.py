"""API1:2023 Broken Object Level Authorization: no one reads or writes another user's objects.

Already covered elsewhere: another user's published post is 403 on PUT, PATCH and DELETE and
unchanged (posts/tests/test_update.py, test_delete.py); another user's draft is 404 on GET, PUT,
PATCH and DELETE (test_detail.py, test_update.py, test_delete.py) and on likes in both
directions (votes/tests/test_votes.py); the feed shows no one else's drafts, by owner or search
(posts/tests/test_listing.py); `voted` is the caller's own (posts/tests/test_detail.py); someone
else's like cannot be taken back (votes/tests/test_counter.py).
"""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

NO_SUCH_POST = 2**31 - 1


def attempts(client, post_id):
    """Every operation that names a post, as (name, response)."""
    url = f"/api/v1/posts/{post_id}/"
    body = {"title": "Taken over", "content": "Mine now", "published": True}
    return {
        "read": client.get(url),
        "replace": client.put(url, body, format="json"),
        "change": client.patch(url, {"title": "Taken over"}, format="json"),
        "delete": client.delete(url),
        "like": client.post("/api/v1/votes/", {"post_id": post_id, "dir": 1}, format="json"),
        "unlike": client.post("/api/v1/votes/", {"post_id": post_id, "dir": 0}, format="json"),
    }


def test_someone_elses_draft_is_indistinguishable_from_no_post_at_all(other_client, user):
    """Same status and same body as an id that does not exist, on every route: a draft's
    existence cannot be probed, and nothing about it changes."""
    draft = DraftFactory(owner=user, title="Unannounced")
    Vote.objects.create(user=user, post=draft)
    Post.objects.filter(pk=draft.pk).update(votes=1)

    for (name, on_draft), on_nothing in zip(
        attempts(other_client, draft.id).items(),
        attempts(other_client, NO_SUCH_POST).values(),
        strict=True,
    ):
        assert on_draft.status_code == on_nothing.status_code == 404, name
        assert on_draft.json() == on_nothing.json(), name

    draft.refresh_from_db()
    assert (draft.title, draft.published, draft.votes) == ("Unannounced", False, 1)
    assert list(Vote.objects.values_list("user_id", flat=True)) == [user.id]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_route_writes_someone_elses_account(other_client, user, method):
    before = User.objects.values().get(pk=user.pk)

    response = getattr(other_client, method)(
        f"/api/v1/users/{user.id}/", {"username": "hijacked", "email": "evil@example.com"}
    )

    assert response.status_code == 405
    assert User.objects.values().get(pk=user.pk) == before


@pytest.mark.parametrize(
    "query",
    [
        "owner={owner}&published=false",
        "owner={owner}&published=false&ordering=-votes",
        "owner={owner}&search=Unannounced",
        "published=false&search=Unannounced",
    ],
)
def test_feed_parameters_reveal_no_one_elses_draft_nor_its_count(other_client, user, query):
    DraftFactory(owner=user, title="Unannounced plans")
    PostFactory(owner=UserFactory(), title="Unannounced elsewhere", published=False)

    response = other_client.get(f"/api/v1/posts/?{query.format(owner=user.id)}")

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_a_post_becoming_a_draft_disappears_for_everyone_else_at_once(
    auth_client, other_client, api_client, user
):
    post = PostFactory(owner=user)
    assert other_client.get(f"/api/v1/posts/{post.id}/").status_code == 200

    assert (
        auth_client.patch(
            f"/api/v1/posts/{post.id}/", {"published": False}, format="json"
        ).status_code
        == 200
    )

    assert other_client.get(f"/api/v1/posts/{post.id}/").status_code == 404
    assert api_client.get(f"/api/v1/posts/{post.id}/").status_code == 404
    assert other_client.get("/api/v1/posts/").json()["count"] == 0
