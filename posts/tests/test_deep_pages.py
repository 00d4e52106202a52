"""A page deep in the feed is the same slice of the ordering as any other page, whether it is
read as DRF reads it or through the deferred join deep pages take."""

import pytest

from posts import selectors
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture(autouse=True, params=["sliced", "deferred join"])
def page_reading(request, monkeypatch):
    if request.param == "deferred join":
        monkeypatch.setattr(selectors, "DEFERRED_JOIN_MIN_OFFSET", 0)


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
