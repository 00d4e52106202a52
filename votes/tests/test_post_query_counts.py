"""The feed and a post cost a fixed number of queries, whatever the page size."""

import pytest

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
# Looking up the user behind a bearer token.
AUTHENTICATION = 1


@pytest.fixture
def liked_posts(user):
    """100 posts by different owners, the caller liking every other one."""
    posts = [PostFactory(owner=UserFactory()) for _ in range(100)]
    for post in posts[::2]:
        VoteFactory(post=post, user=user)
    return posts


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_anonymous_list_is_two_queries(api_client, liked_posts, django_assert_num_queries, limit):
    with django_assert_num_queries(2):  # the count, the page
        response = api_client.get(POSTS, {"limit": limit})

    assert len(response.json()["results"]) == limit


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_authenticated_list_is_three_queries(
    auth_client, liked_posts, django_assert_num_queries, limit
):
    with django_assert_num_queries(AUTHENTICATION + 2):
        response = auth_client.get(POSTS, {"limit": limit})

    results = response.json()["results"]
    liked = {post.id for post in liked_posts[::2]}
    assert len(results) == limit
    assert all(post["voted"] == (post["id"] in liked) for post in results)
    assert all(post["votes"] == (post["id"] in liked) for post in results)


def test_filtered_list_is_two_queries(user, auth_client, liked_posts, django_assert_num_queries):
    # The page, which is not full, so it is its own count.
    with django_assert_num_queries(AUTHENTICATION + 1):
        response = auth_client.get(
            POSTS, {"search": "post number", "owner": liked_posts[0].owner_id, "published": "true"}
        )

    assert response.json()["count"] == 1


def test_anonymous_detail_is_one_query(api_client, liked_posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"{POSTS}{liked_posts[0].id}/")

    assert response.json()["votes"] == 1


def test_authenticated_detail_is_two_queries(auth_client, liked_posts, django_assert_num_queries):
    with django_assert_num_queries(AUTHENTICATION + 1):
        response = auth_client.get(f"{POSTS}{liked_posts[0].id}/")

    assert response.json()["voted"] is True
