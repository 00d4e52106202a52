"""A page deep in the feed is the same slice of the ordering as any other page, whether it is
read as DRF reads it or through the deferred join deep pages take."""

import pytest

from posts import pagination
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture(autouse=True, params=["sliced", "deferred join"])
def page_reading(request, monkeypatch):
    if request.param == "deferred join":
        monkeypatch.setattr(pagination, "DEFERRED_JOIN_MIN_OFFSET", 0)


@pytest.mark.parametrize(
    ("ordering", "order_by"),
    [
        ("-created_at", ["-created_at", "-id"]),
        ("votes", ["votes", "-id"]),
        ("-votes,created_at", ["-votes", "created_at", "-id"]),
    ],
)
def test_every_offset_gives_the_slice_of_the_ordering(api_client, ordering, order_by):
    posts = PostFactory.create_batch(9)
    DraftFactory()
    # Ties on votes, broken by id.
    for number, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(votes=number % 3)
    expected = list(
        Post.objects.filter(published=True).order_by(*order_by).values_list("id", flat=True)
    )

    for offset in range(len(expected) + 1):
        body = api_client.get(POSTS, {"ordering": ordering, "limit": 4, "offset": offset}).json()

        assert [post["id"] for post in body["results"]] == expected[offset : offset + 4]


def test_deep_page_keeps_voted_and_the_callers_drafts(auth_client, user):
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
