"""The home feed: the published posts of the users the caller follows, and the caller's own,
newest published first, paged by cursor."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from conftest import client_for
from posts import selectors
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

HOME = "/api/v1/posts/home/"


@pytest.fixture(autouse=True, params=["followed ids listed", "followed ids as a subquery"])
def followed_ids_reading(request, monkeypatch):
    """Every test holds for a caller who follows a few (their ids are listed in the query) and
    for one who follows many (the query reads them itself)."""
    if request.param == "followed ids as a subquery":
        monkeypatch.setattr(selectors, "HOME_FEED_LISTED_FOLLOWS", 0)


def ids(body):
    return [post["id"] for post in body["results"]]


def test_the_home_feed_holds_the_followed_users_posts_and_mine_only(auth_client, user):
    followed, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=user, followee=followed)
    theirs, mine = PostFactory(owner=followed), PostFactory(owner=user)
    PostFactory(owner=stranger)
    DraftFactory(owner=followed)
    DraftFactory(owner=user)

    response = auth_client.get(HOME)

    assert response.status_code == 200
    assert set(response.json()) == {"next", "previous", "results"}
    assert ids(response.json()) == [mine.id, theirs.id]
    assert response.json()["results"][0]["voted"] is False


def test_a_draft_published_today_comes_as_todays_post(auth_client, user):
    followed = UserFactory()
    FollowFactory(follower=user, followee=followed)
    week_ago = timezone.now() - timedelta(days=7)
    draft = DraftFactory(owner=followed, created_at=week_ago)
    yesterday = PostFactory(owner=followed, created_at=timezone.now() - timedelta(days=1))
    published = client_for(followed).patch(
        f"/api/v1/posts/{draft.id}/", {"published": True}, format="json"
    )

    assert published.json()["published_at"] > published.json()["created_at"]
    assert ids(auth_client.get(HOME).json()) == [draft.id, yesterday.id]


def test_unfollowing_empties_the_home_feed_of_that_user(auth_client, user):
    followed = UserFactory()
    FollowFactory(follower=user, followee=followed)
    PostFactory(owner=followed)

    auth_client.delete(f"/api/v1/users/{followed.pk}/follow/")

    assert ids(auth_client.get(HOME).json()) == []


def test_a_block_drops_each_side_from_the_others_home_feed(auth_client, user):
    blocker = UserFactory()
    FollowFactory(follower=user, followee=blocker)
    FollowFactory(follower=blocker, followee=user)
    PostFactory(owner=blocker)
    mine = PostFactory(owner=user)

    client_for(blocker).post(f"/api/v1/users/{user.pk}/block/")

    assert ids(auth_client.get(HOME).json()) == [mine.id]
    assert user.pk not in {
        post["owner"]["id"] for post in client_for(blocker).get(HOME).json()["results"]
    }


def test_paging_by_cursor_neither_repeats_nor_skips_while_posts_arrive(auth_client, user):
    followed = UserFactory()
    FollowFactory(follower=user, followee=followed)
    posts = [PostFactory(owner=followed) for _ in range(5)]

    first = auth_client.get(HOME, {"limit": 2})
    PostFactory(owner=followed)  # a new post arrives between two pages
    second = auth_client.get(first.json()["next"]).json()
    third = auth_client.get(second["next"]).json()

    newest_first = [post.id for post in reversed(posts)]
    assert ids(first.json()) + ids(second) + ids(third) == newest_first
    assert third["next"] is None
    assert first["Link"].endswith('rel="next"')
    back = auth_client.get(second["previous"]).json()
    assert ids(back) == newest_first[:2]


def test_the_home_feed_needs_a_token(api_client):
    assert api_client.get(HOME).status_code == 401


def test_the_home_feed_costs_the_same_queries_whatever_the_follows(
    auth_client, user, django_assert_num_queries, held_token_state_queries
):
    for _ in range(5):
        followed = UserFactory()
        FollowFactory(follower=user, followee=followed)
        PostFactory.create_batch(3, owner=followed)
    auth_client.get(HOME)  # the token's state, read once

    # The followed ids, then the page.
    with django_assert_num_queries(2 + held_token_state_queries):
        body = auth_client.get(HOME, {"limit": 10}).json()

    assert len(body["results"]) == 10


def test_the_page_does_not_grow_with_the_follows(auth_client, user):
    """Beyond HOME_FEED_LISTED_FOLLOWS, the page reads the follows itself: 2,000 ids written
    into the query cost 20-25 ms of Python per page (bench/README.md)."""
    for followed in UserFactory.create_batch(selectors.HOME_FEED_LISTED_FOLLOWS + 1):
        FollowFactory(follower=user, followee=followed)

    with CaptureQueriesContext(connection) as queries:
        auth_client.get(HOME)

    page = [query["sql"] for query in queries if "posts_post" in query["sql"]]
    assert len(page) == 1
    assert len(page[0]) < 3000
