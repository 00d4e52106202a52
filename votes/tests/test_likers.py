"""Who likes a post: a cursor-paged list of user summaries, newest like first."""

import pytest

from accounts.tests.factories import UserFactory
from conftest import client_for
from posts.tests.factories import DraftFactory, PostFactory
from votes.services import vote_cast

pytestmark = pytest.mark.django_db


def likes_url(post):
    return f"/api/v1/posts/{post.pk}/likes/"


def test_the_users_who_like_a_post_newest_first(api_client):
    post = PostFactory()
    fans = [UserFactory(display_name=f"Fan {n}") for n in range(3)]
    for fan in fans:
        vote_cast(user=fan, post_id=post.pk)

    first = api_client.get(likes_url(post), {"limit": 2})
    second = api_client.get(first.json()["next"]).json()

    assert first.status_code == 200
    assert first.json()["results"] == [
        {"id": fan.pk, "username": fan.username, "display_name": fan.display_name}
        for fan in (fans[2], fans[1])
    ]
    assert [u["id"] for u in second["results"]] == [fans[0].pk]
    assert 'rel="next"' in first["Link"]


def test_a_drafts_likes_are_404_to_others_and_shown_to_its_owner(api_client, user):
    draft = DraftFactory(owner=user)
    vote_cast(user=user, post_id=draft.pk)

    assert api_client.get(likes_url(draft)).status_code == 404
    assert [u["id"] for u in client_for(user).get(likes_url(draft)).json()["results"]] == [user.pk]


@pytest.mark.parametrize("post_id", ["999999", "9223372036854775808"])
def test_the_likes_of_an_unknown_post_are_404(api_client, post_id):
    assert api_client.get(f"/api/v1/posts/{post_id}/likes/").status_code == 404


def test_the_likes_list_costs_the_same_queries_whatever_its_length(
    api_client, django_assert_num_queries
):
    post = PostFactory()
    for _ in range(7):
        vote_cast(user=UserFactory(), post_id=post.pk)

    # The post's visibility, then the page with its users.
    with django_assert_num_queries(2):
        body = api_client.get(likes_url(post), {"limit": 5}).json()

    assert len(body["results"]) == 5
