"""Follows through the API: the contract's answers, the counts and flags on profiles, the lists."""

import pytest

from accounts.tests.factories import UserFactory
from relationships.models import Follow
from relationships.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db


def follow_url(user):
    return f"/api/v1/users/{user.pk}/follow/"


def test_following_answers_201_with_the_profile_as_the_caller_now_sees_it(
    auth_client, user, other_user
):
    response = auth_client.post(follow_url(other_user))

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == other_user.pk
    assert (body["following"], body["followed_by"], body["blocking"]) == (True, False, False)
    assert body["followers_count"] == 1
    assert "email" not in body
    assert auth_client.get(f"/api/v1/users/{user.pk}/").json()["following_count"] == 1


def test_the_followed_user_sees_followed_by(auth_client, other_client, user, other_user):
    auth_client.post(follow_url(UserFactory()))
    other_client.post(f"/api/v1/users/{user.pk}/follow")

    body = auth_client.get(f"/api/v1/users/by-handle/{other_user.username.upper()}/").json()

    assert (body["following"], body["followed_by"]) == (False, True)


def test_following_twice_is_409_and_counts_once(auth_client, other_user):
    auth_client.post(follow_url(other_user))

    response = auth_client.post(follow_url(other_user))

    assert response.status_code == 409
    assert response.json() == {"detail": "You already follow this user."}
    other_user.refresh_from_db()
    assert other_user.followers_count == 1


def test_unfollowing_answers_200_and_lowers_both_counts(auth_client, user, other_user):
    auth_client.post(follow_url(other_user))

    response = auth_client.delete(follow_url(other_user))

    assert response.status_code == 200
    assert response.json()["following"] is False
    assert response.json()["followers_count"] == 0
    user.refresh_from_db()
    assert user.following_count == 0
    assert not Follow.objects.exists()


def test_unfollowing_someone_not_followed_is_404(auth_client, other_user):
    response = auth_client.delete(follow_url(other_user))

    assert response.status_code == 404
    assert response.json() == {"detail": "You do not follow this user."}


def test_following_yourself_is_400(auth_client, user):
    response = auth_client.post(follow_url(user))

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You cannot follow yourself."]}
    assert not Follow.objects.exists()


@pytest.mark.parametrize("user_id", ["999999", "9223372036854775808"])
def test_following_an_unknown_user_is_404(auth_client, user_id):
    assert auth_client.post(f"/api/v1/users/{user_id}/follow/").status_code == 404


def test_following_an_inactive_user_is_404(auth_client):
    assert auth_client.post(follow_url(UserFactory(is_active=False))).status_code == 404


def test_following_needs_a_token(api_client, other_user):
    assert api_client.post(follow_url(other_user)).status_code == 401


@pytest.mark.parametrize("blocker", ["caller", "other"])
def test_no_follow_across_a_block_either_way(auth_client, user, other_user, blocker):
    if blocker == "caller":
        BlockFactory(blocker=user, blocked=other_user)
    else:
        BlockFactory(blocker=other_user, blocked=user)

    response = auth_client.post(follow_url(other_user))

    assert response.status_code == 403
    assert "block" in response.json()["detail"]
    assert not Follow.objects.exists()


def test_followers_and_following_are_listed_newest_first_with_link_headers(api_client):
    star = UserFactory()
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        FollowFactory(follower=fan, followee=star)

    first = api_client.get(f"/api/v1/users/{star.pk}/followers/?limit=2")
    second = api_client.get(first.json()["next"])

    assert first.status_code == 200
    assert [u["id"] for u in first.json()["results"]] == [fans[2].pk, fans[1].pk]
    assert first.json()["results"][0] == {
        "id": fans[2].pk,
        "username": fans[2].username,
        "display_name": "",
    }
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    assert [u["id"] for u in second.json()["results"]] == [fans[0].pk]
    assert second.json()["next"] is None
    assert 'rel="prev"' in second["Link"]
    following = api_client.get(f"/api/v1/users/{fans[0].pk}/following/").json()
    assert [u["id"] for u in following["results"]] == [star.pk]


def test_a_page_by_cursor_is_stable_while_follows_are_added(api_client):
    star = UserFactory()
    fans = [UserFactory() for _ in range(4)]
    for fan in fans:
        FollowFactory(follower=fan, followee=star)
    first = api_client.get(f"/api/v1/users/{star.pk}/followers/?limit=2").json()

    FollowFactory(follower=UserFactory(), followee=star)
    second = api_client.get(first["next"]).json()

    assert [u["id"] for u in second["results"]] == [fans[1].pk, fans[0].pk]


@pytest.mark.parametrize(
    "query",
    ["cursor=bm90LWEtY3Vyc29y", "cursor=%%%", "limit=0", "limit=abc", "limit=1&limit=2"],
)
def test_bad_paging_parameters_are_400(api_client, query):
    star = UserFactory()

    response = api_client.get(f"/api/v1/users/{star.pk}/followers/?{query}")

    assert response.status_code == 400
    assert set(response.json()) <= {"cursor", "limit"}


def test_an_edited_cursor_is_400_with_a_message(api_client):
    star = UserFactory()
    for _ in range(3):
        FollowFactory(follower=UserFactory(), followee=star)
    next_link = api_client.get(f"/api/v1/users/{star.pk}/followers/?limit=1").json()["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    edited = cursor[:-3] + ("AAA" if cursor[-3:] != "AAA" else "BBB")

    response = api_client.get(f"/api/v1/users/{star.pk}/followers/?cursor={edited}")

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor is not valid; start again from the first page."]
    }


def test_the_lists_of_an_unknown_user_are_404(api_client):
    assert api_client.get("/api/v1/users/999999/followers/").status_code == 404
    assert api_client.get("/api/v1/users/999999/following/").status_code == 404


def test_deleting_an_account_lowers_the_counts_of_everyone_it_followed_or_was_followed_by(
    auth_client, user
):
    followed, follower = UserFactory(), UserFactory()
    FollowFactory(follower=user, followee=followed)
    FollowFactory(follower=follower, followee=user)

    assert auth_client.delete("/api/v1/users/me/").status_code == 204

    followed.refresh_from_db()
    follower.refresh_from_db()
    assert (followed.followers_count, follower.following_count) == (0, 0)
    assert not Follow.objects.exists()


@pytest.mark.parametrize("action", ["follow", "block"])
def test_options_describes_the_route_without_an_error(auth_client, other_user, action):
    response = auth_client.options(f"/api/v1/users/{other_user.pk}/{action}/")

    assert response.status_code == 200
    assert "POST" in response["Allow"]
