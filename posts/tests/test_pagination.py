"""Paging the feed: limit, offset, its alias skip, and the next / previous links."""

from urllib.parse import parse_qs, urlsplit

import pytest

from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def query_of(link):
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def newest_first_ids():
    return list(Post.objects.order_by("-created_at", "-id").values_list("id", flat=True))


def test_default_page_size_is_10(api_client):
    PostFactory.create_batch(12)

    body = api_client.get(POSTS).json()

    assert body["count"] == 12
    assert len(body["results"]) == 10
    assert query_of(body["next"]) == {"limit": "10", "offset": "10"}
    assert body["previous"] is None


def test_limit_over_100_is_clamped_to_100(api_client):
    PostFactory.create_batch(101)

    body = api_client.get(POSTS, {"limit": 1000}).json()

    assert len(body["results"]) == 100
    assert query_of(body["next"]) == {"limit": "100", "offset": "100"}


def test_offset_skips_posts(api_client):
    PostFactory.create_batch(5)
    expected = newest_first_ids()

    body = api_client.get(POSTS, {"limit": 2, "offset": 2}).json()

    assert [post["id"] for post in body["results"]] == expected[2:4]
    assert query_of(body["next"]) == {"limit": "2", "offset": "4"}
    assert query_of(body["previous"]) == {"limit": "2"}


def test_skip_is_an_alias_of_offset_and_links_use_offset(api_client):
    PostFactory.create_batch(7)
    expected = newest_first_ids()

    body = api_client.get(POSTS, {"limit": 2, "skip": 4, "search": "post"}).json()

    assert [post["id"] for post in body["results"]] == expected[4:6]
    assert query_of(body["next"]) == {"limit": "2", "offset": "6", "search": "post"}
    assert query_of(body["previous"]) == {"limit": "2", "offset": "2", "search": "post"}


def test_previous_link_to_the_first_page_drops_skip(api_client):
    PostFactory.create_batch(3)

    body = api_client.get(POSTS, {"limit": 2, "skip": 1}).json()

    assert query_of(body["previous"]) == {"limit": "2"}


def test_links_keep_the_filters(api_client):
    PostFactory.create_batch(3)

    body = api_client.get(POSTS, {"limit": 1, "ordering": "-votes"}).json()

    assert query_of(body["next"]) == {"limit": "1", "offset": "1", "ordering": "-votes"}


def test_offset_past_the_end_is_an_empty_page(api_client):
    PostFactory.create_batch(2)

    body = api_client.get(POSTS, {"offset": 99999999999999999999}).json()

    assert body["count"] == 2
    assert body["results"] == []
    assert body["next"] is None


def test_last_page_has_no_next_link(api_client):
    PostFactory.create_batch(3)

    body = api_client.get(POSTS, {"limit": 2, "offset": 2}).json()

    assert len(body["results"]) == 1
    assert body["next"] is None
    assert body["previous"] is not None
