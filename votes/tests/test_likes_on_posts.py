"""How likes show on posts: `votes` and `voted` as each caller sees them, on every route that
answers a post, and likes going with their post."""

import pytest

from posts import selectors
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from votes.models import Vote
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def url(post_id):
    return f"{POSTS}{post_id}/"


@pytest.fixture(params=["sliced", "deferred join"])
def page_reading(request, monkeypatch):
    if request.param == "deferred join":
        monkeypatch.setattr(selectors, "DEFERRED_JOIN_MIN_OFFSET", 0)


def test_update_answers_with_the_callers_votes_and_voted(user, auth_client):
    post = PostFactory(owner=user)
    VoteFactory(post=post, user=user)
    VoteFactory(post=post)

    response = auth_client.patch(url(post.id), {"title": "Changed"}, format="json")

    assert response.json()["votes"] == 2
    assert response.json()["voted"] is True


def test_update_does_not_overwrite_the_like_counter(user, auth_client):
    post = PostFactory(owner=user)
    stale = Post.objects.get(pk=post.pk)
    VoteFactory(post=post)

    stale.title = "Saved from a stale copy"
    stale.save()

    post.refresh_from_db()
    assert post.votes == 1


def test_votes_and_voted_are_the_callers_view(user, auth_client, api_client, other_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)
    VoteFactory(post=post)

    mine = auth_client.get(url(post.id)).json()
    theirs = other_client.get(url(post.id)).json()
    anonymous = api_client.get(url(post.id)).json()

    assert (mine["votes"], mine["voted"]) == (2, True)
    assert (theirs["votes"], theirs["voted"]) == (2, False)
    assert (anonymous["votes"], anonymous["voted"]) == (2, False)


def test_owner_deletes_their_post_and_its_likes(user, auth_client):
    post = PostFactory(owner=user)
    VoteFactory.create_batch(3, post=post)
    kept = VoteFactory()

    response = auth_client.delete(url(post.id))

    assert response.status_code == 204
    assert response.content == b""
    assert not Post.objects.filter(pk=post.pk).exists()
    assert list(Vote.objects.all()) == [kept]
    assert auth_client.get(url(post.id)).status_code == 404


def test_deep_page_keeps_voted_and_the_callers_drafts(auth_client, user, page_reading):
    posts = PostFactory.create_batch(4)
    VoteFactory(user=user, post=posts[0])
    DraftFactory(owner=user)

    body = auth_client.get(POSTS, {"limit": 2, "offset": 3}).json()

    # Newest first: the draft, posts[3], posts[2], then this page.
    assert body["count"] == 5
    assert [(post["id"], post["voted"]) for post in body["results"]] == [
        (posts[1].id, False),
        (posts[0].id, True),
    ]
