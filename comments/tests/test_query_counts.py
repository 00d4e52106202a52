"""A post's comments cost a fixed number of queries, whatever the page size: the post's
visibility, then the page with its authors (and, signed in, the blocks, as subqueries)."""

import pytest

from accounts.tests.factories import UserFactory
from comments.tests.factories import CommentFactory
from posts.tests.factories import PostFactory
from relationships.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

# The post's visibility, and the page.
LIST = 2


@pytest.fixture
def commented_post(user):
    """A post with 100 comments by different authors, one of whom the caller blocks."""
    post = PostFactory()
    comments = [CommentFactory(post=post, author=UserFactory()) for _ in range(101)]
    BlockFactory(blocker=user, blocked=comments[0].author)
    return post


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_anonymous_list_is_two_queries(
    api_client, commented_post, django_assert_num_queries, limit
):
    with django_assert_num_queries(LIST):
        response = api_client.get(f"/api/v1/posts/{commented_post.id}/comments/", {"limit": limit})

    assert len(response.json()["results"]) == limit


@pytest.mark.parametrize("limit", [1, 10, 100])
def test_signed_in_list_is_as_many_queries(
    auth_client, commented_post, django_assert_num_queries, held_token_state_queries, limit
):
    url = f"/api/v1/posts/{commented_post.id}/comments/"
    auth_client.get(url)  # The caller's token state, held from now on where Redis holds it.

    with django_assert_num_queries(LIST + held_token_state_queries):
        response = auth_client.get(url, {"limit": limit})

    assert len(response.json()["results"]) == limit


def test_a_deep_page_costs_what_the_first_does(
    api_client, commented_post, django_assert_num_queries
):
    url = f"/api/v1/posts/{commented_post.id}/comments/"
    deep = api_client.get(url, {"limit": 90}).json()["next"]

    with django_assert_num_queries(LIST):
        response = api_client.get(deep)

    assert len(response.json()["results"]) == 11


def test_a_comment_is_one_query(api_client, django_assert_num_queries):
    comment = CommentFactory()

    with django_assert_num_queries(1):
        api_client.get(f"/api/v1/comments/{comment.id}/")
