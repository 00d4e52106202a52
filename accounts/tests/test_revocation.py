"""Token states shared through Redis (accounts.revocation), against a redis-server of the
test's own, and without Redis."""

import uuid

import pytest
from rest_framework.test import APIClient

from accounts import revocation
from accounts.models import User
from accounts.services import token_pair_for, users_deactivate
from core.shared import SharedRedis

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def shared(redis_server, settings):
    settings.REDIS_URL = redis_server.url
    return SharedRedis(redis_server.url)


def held(redis_server, key):
    value = redis_server.client().get(f"agora:{key}")
    return None if value is None else int(value)


def test_a_state_held_in_redis_is_never_replaced_by_a_smaller_one(shared, redis_server):
    shared.run(revocation._RAISE, ["tokens:user:1"], [7, 60])

    shared.run(revocation._RAISE, ["tokens:user:1"], [5, 60])  # read before the revocation
    assert held(redis_server, "tokens:user:1") == 7

    shared.run(revocation._RAISE, ["tokens:user:1"], [9, 60])
    assert held(redis_server, "tokens:user:1") == 9
    assert 0 < redis_server.client().ttl("agora:tokens:user:1") <= revocation.STATE_SECONDS


def test_a_request_reads_the_states_from_redis_once_held(shared, user, django_assert_num_queries):
    client = client_with(token_pair_for(user)["access_token"])
    assert client.get("/api/v1/posts/?owner=0").status_code == 200  # fills Redis

    with django_assert_num_queries(1):  # the page alone
        assert client.get("/api/v1/posts/?owner=0").status_code == 200


def test_a_deactivation_is_in_redis_before_the_call_returns(shared, redis_server, user):
    pair = token_pair_for(user)
    assert client_with(pair["access_token"]).get(ME).status_code == 200

    users_deactivate(users=User.objects.filter(pk=user.pk))

    user.refresh_from_db()
    expected = revocation.user_state(token_version=user.token_version, is_active=False)
    assert held(redis_server, f"tokens:user:{user.pk}") == expected
    assert client_with(pair["access_token"]).get(ME).status_code == 401


def test_a_logout_is_in_redis_before_it_answers(shared, redis_server, user):
    pair = token_pair_for(user)
    family = uuid.UUID(client_with("").get(ME) and _family_of(pair["refresh_token"]))

    response = APIClient().post(
        "/api/v1/auth/logout/", {"refresh_token": pair["refresh_token"]}, format="json"
    )

    assert response.status_code == 204
    assert held(redis_server, f"tokens:login:{family}") == revocation.REVOKED


def _family_of(refresh_token):
    from accounts.tokens import FAMILY_CLAIM, RefreshToken

    return RefreshToken(refresh_token)[FAMILY_CLAIM]


def test_without_redis_each_request_reads_the_states(settings, user, django_assert_num_queries):
    settings.REDIS_URL = ""
    client = client_with(token_pair_for(user)["access_token"])
    client.get("/api/v1/posts/?owner=0")

    with django_assert_num_queries(2):  # the token's states, the page
        assert client.get("/api/v1/posts/?owner=0").status_code == 200


def test_while_redis_is_down_a_revocation_still_holds_at_once(shared, redis_server, user):
    pair = token_pair_for(user)
    client = client_with(pair["access_token"])
    assert client.get(ME).status_code == 200
    redis_server.stop()

    assert client.get(ME).status_code == 200  # read from the database meanwhile
    users_deactivate(users=User.objects.filter(pk=user.pk))

    assert client.get(ME).status_code == 401
