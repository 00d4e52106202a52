"""The feed's total: many published posts are counted once in a while and the figure shared;
small totals and the caller's own drafts are always exact."""

import pytest
from django.core.cache import cache

from posts import pagination
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture
def large_from_3(monkeypatch):
    """Counts of 3 and more count as large, so a test needs only a few posts."""
    monkeypatch.setattr(pagination, "COUNT_CACHE_MIN_ROWS", 3)


def test_small_count_is_exact_at_once(api_client):
    PostFactory.create_batch(2)
    assert api_client.get(POSTS).json()["count"] == 2

    PostFactory()

    assert api_client.get(POSTS).json()["count"] == 3


@pytest.mark.usefixtures("large_from_3")
def test_large_count_is_reused_without_a_query(api_client, django_assert_num_queries):
    PostFactory.create_batch(3)
    assert api_client.get(POSTS).json()["count"] == 3
    PostFactory()

    with django_assert_num_queries(1):  # the page only
        body = api_client.get(POSTS).json()

    # The total lags behind until the entry expires; the page itself is always fresh.
    assert body["count"] == 3
    assert len(body["results"]) == 4


@pytest.mark.usefixtures("large_from_3")
def test_large_count_expires(api_client):
    PostFactory.create_batch(3)
    api_client.get(POSTS)
    PostFactory()
    cache.clear()  # as when the entry expires

    assert api_client.get(POSTS).json()["count"] == 4


@pytest.mark.usefixtures("large_from_3")
def test_cached_counts_are_per_caller_and_filter(api_client, auth_client, user):
    PostFactory.create_batch(3)
    DraftFactory.create_batch(2, owner=user)

    assert api_client.get(POSTS).json()["count"] == 3
    assert auth_client.get(POSTS).json()["count"] == 5
    assert api_client.get(POSTS, {"search": "post"}).json()["count"] == 3
    assert auth_client.get(POSTS, {"published": "false"}).json()["count"] == 2
    assert api_client.get(POSTS).json()["count"] == 3


@pytest.mark.usefixtures("large_from_3")
def test_own_drafts_count_at_once_while_published_posts_are_cached(
    auth_client, user, django_assert_num_queries
):
    PostFactory.create_batch(3)
    assert auth_client.get(POSTS).json()["count"] == 3
    DraftFactory(owner=user)
    PostFactory()

    with django_assert_num_queries(3):  # the caller, their drafts, the page
        body = auth_client.get(POSTS).json()

    # The new draft counts at once; the new published post once the cached total expires.
    assert body["count"] == 4
    assert len(body["results"]) == 5


@pytest.mark.usefixtures("large_from_3")
def test_published_total_is_shared_by_every_caller(api_client, auth_client, other_client):
    PostFactory.create_batch(3)
    api_client.get(POSTS)
    PostFactory()

    assert auth_client.get(POSTS).json()["count"] == 3
    assert other_client.get(POSTS).json()["count"] == 3
