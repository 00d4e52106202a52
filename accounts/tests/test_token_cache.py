"""Access tokens verified once per process (accounts.authentication.VERIFIED_TOKENS), never
past their expiry, never a forged one, and revoked at once as before."""

import time
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.authentication import VERIFIED_TOKENS, BearerAuthentication, _verified
from accounts.services import token_pair_for
from accounts.tokens import RefreshToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def me(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(ME)


def test_a_token_sent_again_is_not_verified_again(user):
    token = token_pair_for(user)["access_token"]
    before = _verified.cache_info()

    assert me(token).status_code == 200
    assert me(token).status_code == 200

    after = _verified.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


def test_a_verified_token_is_refused_once_it_expires(user):
    refresh = RefreshToken(token_pair_for(user)["refresh_token"])
    access = refresh.access_token
    access.set_exp(lifetime=timedelta(seconds=1))
    token = str(access)
    assert me(token).status_code == 200

    time.sleep(1.1)
    answer = me(token)

    assert answer.status_code == 401
    assert answer.json()["detail"] == "Token is invalid or expired."


def test_a_forged_token_is_refused_and_not_kept(user):
    token = token_pair_for(user)["access_token"]
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    before = _verified.cache_info().currsize

    assert [me(forged).status_code for _ in range(3)] == [401, 401, 401]
    assert _verified.cache_info().currsize == before


def test_a_verified_token_is_refused_at_once_after_logout(user):
    pair = token_pair_for(user)
    assert me(pair["access_token"]).status_code == 200

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    logout = client.post(
        "/api/v1/auth/logout/", {"refresh_token": pair["refresh_token"]}, format="json"
    )
    assert logout.status_code == 204, logout.content

    assert me(pair["access_token"]).status_code == 401


def test_the_process_keeps_at_most_its_bound_of_tokens(user):
    refresh = RefreshToken(token_pair_for(user)["refresh_token"])
    authentication = BearerAuthentication()
    for n in range(VERIFIED_TOKENS + 10):
        access = refresh.access_token
        access["n"] = n  # each a distinct token
        authentication.get_validated_token(str(access).encode())

    assert _verified.cache_info().currsize == VERIFIED_TOKENS
