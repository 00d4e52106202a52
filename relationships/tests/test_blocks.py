"""Blocks through the API: the answers, and what a block ends."""

import pytest

from accounts.tests.factories import UserFactory
from relationships.models import Block, Follow
from relationships.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db


def block_url(user):
    return f"/api/v1/users/{user.pk}/block/"


def test_blocking_ends_the_follows_both_ways_and_their_counts(auth_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=other_user, followee=user)

    response = auth_client.post(block_url(other_user))

    assert response.status_code == 201
    body = response.json()
    assert (body["blocking"], body["following"], body["followed_by"]) == (True, False, False)
    assert (body["followers_count"], body["following_count"]) == (0, 0)
    user.refresh_from_db()
    assert (user.followers_count, user.following_count) == (0, 0)
    assert not Follow.objects.exists()


def test_blocking_twice_is_409(auth_client, other_user):
    auth_client.post(block_url(other_user))

    response = auth_client.post(block_url(other_user))

    assert response.status_code == 409
    assert Block.objects.count() == 1


def test_unblocking_restores_nothing(auth_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)
    auth_client.post(block_url(other_user))

    response = auth_client.delete(block_url(other_user))

    assert response.status_code == 200
    assert response.json()["blocking"] is False
    assert response.json()["following"] is False
    assert not Block.objects.exists()


def test_unblocking_someone_not_blocked_is_404(auth_client, other_user):
    response = auth_client.delete(block_url(other_user))

    assert response.status_code == 404
    assert response.json() == {"detail": "You do not block this user."}


def test_blocking_yourself_is_400(auth_client, user):
    response = auth_client.post(block_url(user))

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You cannot block yourself."]}


def test_the_blocked_may_not_follow_the_blocker(other_client, user, other_user):
    BlockFactory(blocker=user, blocked=other_user)

    assert other_client.post(f"/api/v1/users/{user.pk}/follow/").status_code == 403


def test_your_blocks_are_listed_to_you_only(auth_client, api_client, user):
    blocked = [UserFactory(), UserFactory()]
    for other in blocked:
        auth_client.post(block_url(other))

    body = auth_client.get("/api/v1/users/me/blocks/").json()

    assert [u["id"] for u in body["results"]] == [blocked[1].pk, blocked[0].pk]
    assert api_client.get("/api/v1/users/me/blocks/").status_code == 401


def test_an_anonymous_profile_has_false_flags(api_client, other_user):
    body = api_client.get(f"/api/v1/users/{other_user.pk}/").json()

    assert (body["following"], body["followed_by"], body["blocking"]) == (False, False, False)
