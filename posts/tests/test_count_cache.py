"""The feed's total: many published posts are counted once in a while and the figure shared;
small totals and the caller's own drafts are always exact, and a first page with room to
spare is its own count."""

import pytest
from django.core.cache import caches

from posts import selectors
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
# Pages smaller than the totals: a first page with room to spare is its own exact count.
PAGE = {"limit": 2}


@pytest.fixture
def large_from_3(monkeypatch):
    """Counts of 3 and more count as large, so a test needs only a few posts."""
    monkeypatch.setattr(selectors, "COUNT_CACHE_MIN_ROWS", 3)


def test_small_count_is_exact_at_once(api_client):
    PostFactory.create_batch(2)
    assert api_client.get(POSTS, PAGE).json()["count"] == 2

    PostFactory()

    assert api_client.get(POSTS, PAGE).json()["count"] == 3


def test_first_page_with_room_to_spare_is_its_own_count(api_client, django_assert_num_queries):
    PostFactory.create_batch(3)

    with django_assert_num_queries(1):  # the page, no count
        body = api_client.get(POSTS).json()

    assert body["count"] == 3
    assert body["next"] is None


@pytest.mark.usefixtures("large_from_3")
def test_large_count_is_reused_without_a_query(api_client, django_assert_num_queries):
    PostFactory.create_batch(3)
    assert api_client.get(POSTS, PAGE).json()["count"] == 3
    newest = PostFactory()

    with django_assert_num_queries(1):  # the page only
        body = api_client.get(POSTS, PAGE).json()

    # The total lags behind until the entry expires; the page itself is always fresh.
    assert body["count"] == 3
    assert body["results"][0]["id"] == newest.id


@pytest.mark.usefixtures("large_from_3")
def test_large_count_expires(api_client):
    PostFactory.create_batch(3)
    api_client.get(POSTS, PAGE)
    PostFactory()
    caches["default"].clear()  # as when the entry expires

    assert api_client.get(POSTS, PAGE).json()["count"] == 4


@pytest.mark.usefixtures("large_from_3")
def test_cached_counts_are_per_caller_and_filter(api_client, auth_client, user):
    PostFactory.create_batch(3)
    DraftFactory.create_batch(2, owner=user)

    assert api_client.get(POSTS, PAGE).json()["count"] == 3
    assert auth_client.get(POSTS, PAGE).json()["count"] == 5
    assert api_client.get(POSTS, {**PAGE, "search": "post"}).json()["count"] == 3
    assert auth_client.get(POSTS, {**PAGE, "published": "false"}).json()["count"] == 2
    assert api_client.get(POSTS, PAGE).json()["count"] == 3


@pytest.mark.usefixtures("large_from_3")
def test_own_drafts_count_at_once_while_published_posts_are_cached(
    auth_client, user, django_assert_num_queries, held_token_state_queries
):
    PostFactory.create_batch(3)
    assert auth_client.get(POSTS, PAGE).json()["count"] == 3
    draft = DraftFactory(owner=user)
    newest = PostFactory()

    # The page and the caller's drafts (and the caller's token state, without Redis).
    with django_assert_num_queries(2 + held_token_state_queries):
        body = auth_client.get(POSTS, PAGE).json()

    # The new draft counts at once; the new published post once the cached total expires.
    assert body["count"] == 4
    # The caller's never-published draft first, then the newest published post.
    assert [post["id"] for post in body["results"][:2]] == [draft.id, newest.id]


@pytest.mark.usefixtures("large_from_3")
def test_published_total_is_shared_by_every_caller(api_client, auth_client, other_client):
    PostFactory.create_batch(3)
    api_client.get(POSTS, PAGE)
    PostFactory()

    assert auth_client.get(POSTS, PAGE).json()["count"] == 3
    assert other_client.get(POSTS, PAGE).json()["count"] == 3
