import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.db.models import F
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import AccessToken

from accounts import revocation, tokens
from accounts.models import User
from accounts.services import token_pair_for, users_deactivate
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tokens import RefreshToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
REFRESH = "/api/v1/auth/refresh/"
LOGOUT = "/api/v1/auth/logout/"


@pytest.fixture
def pair(user):
    return token_pair_for(user)


def get_me(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(ME)


def refresh(token):
    return APIClient().post(REFRESH, {"refresh_token": token}, format="json")


def logout(token):
    return APIClient().post(LOGOUT, {"refresh_token": token}, format="json")


def assert_401(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert isinstance(response.json()["detail"], str)


def past_the_grace():
    """As if every refresh token spent so far had been spent longer ago than the grace."""
    grace = timedelta(seconds=settings.REFRESH_TOKEN_REUSE_GRACE_SECONDS + 1)
    BlacklistedToken.objects.update(blacklisted_at=F("blacklisted_at") - grace)


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_refresh_rotates_the_pair(pair):
    response = refresh(pair["refresh_token"])

    assert response.status_code == 200
    new = response.json()
    assert new["token_type"] == "bearer"
    assert new["refresh_token"] != pair["refresh_token"]
    assert response.headers["Cache-Control"] == "no-store"
    assert get_me(new["access_token"]).status_code == 200


def test_refresh_token_used_again_after_the_grace_is_401(pair):
    assert refresh(pair["refresh_token"]).status_code == 200
    past_the_grace()

    assert_401(refresh(pair["refresh_token"]))


def test_refresh_ignores_an_authorization_header(pair):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer garbage")

    response = client.post(REFRESH, {"refresh_token": pair["refresh_token"]}, format="json")

    assert response.status_code == 200


def test_refresh_with_an_access_token_is_401(pair):
    assert_401(refresh(pair["access_token"]))


@pytest.mark.parametrize("body", [{}, {"refresh": "x"}])
def test_refresh_without_refresh_token_is_400(body):
    response = APIClient().post(REFRESH, body, format="json")

    assert response.status_code == 400
    assert "refresh_token" in response.json()


def test_refresh_with_a_non_string_token_is_400():
    response = APIClient().post(REFRESH, {"refresh_token": 42}, format="json")

    assert response.status_code == 400


def test_refresh_with_garbage_is_401():
    assert_401(refresh("not.a.token"))


def test_logout_revokes_the_refresh_token(pair):
    response = logout(pair["refresh_token"])

    assert response.status_code == 204
    assert_401(refresh(pair["refresh_token"]))


def test_logout_twice_is_401(pair):
    logout(pair["refresh_token"])

    assert_401(logout(pair["refresh_token"]))


def test_logout_without_refresh_token_is_400():
    response = APIClient().post(LOGOUT, {}, format="json")

    assert response.status_code == 400


def test_logout_with_malformed_token_is_401():
    assert_401(logout("abc"))


def test_tokens_of_a_deleted_user_are_401_everywhere(user, pair):
    user.delete()

    assert_401(get_me(pair["access_token"]))
    assert_401(refresh(pair["refresh_token"]))
    assert_401(logout(pair["refresh_token"]))


def test_tokens_of_a_deactivated_user_are_401_everywhere(user, pair):
    user.is_active = False
    user.save()

    assert_401(get_me(pair["access_token"]))
    assert_401(refresh(pair["refresh_token"]))
    assert_401(logout(pair["refresh_token"]))


def test_bad_token_is_401_even_where_auth_is_optional(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert_401(client.get(f"/api/v1/users/{user.id}/"))


def valid_payload(user):
    """The claims of an access token that Agora would accept as it is."""
    return dict(AccessToken(token_pair_for(user)["access_token"]).payload)


def test_token_signed_with_another_key_is_401(user):
    payload = valid_payload(user)
    forged = jwt.encode(payload, "another-key-that-is-long-enough-0123456789", algorithm="HS256")

    assert_401(get_me(forged))


def test_alg_none_token_is_401(user):
    payload = valid_payload(user)
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(payload)}."

    assert_401(get_me(unsigned))


def test_tampered_token_is_401(user, other_user):
    token = token_pair_for(user)["access_token"]
    header, _payload, signature = token.split(".")
    payload = dict(AccessToken(token).payload, user_id=str(other_user.id))

    assert_401(get_me(f"{header}.{b64(payload)}.{signature}"))


def test_token_without_exp_is_401(user):
    payload = valid_payload(user)
    del payload["exp"]
    token = jwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")

    assert_401(get_me(token))


def test_expired_access_token_is_401(user):
    token = AccessToken(token_pair_for(user)["access_token"])
    token.set_exp(lifetime=-timedelta(seconds=1))

    assert_401(get_me(str(token)))


def test_expired_refresh_token_is_401(user):
    token = RefreshToken(token_pair_for(user)["refresh_token"])
    token.set_exp(lifetime=-timedelta(seconds=1))

    assert_401(refresh(str(token)))


def test_authorization_header_with_three_parts_is_401(pair):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']} extra")

    assert_401(client.get(ME))


def test_replaying_a_rotated_refresh_token_revokes_its_successors(pair):
    """OAuth 2.0 Security BCP: a rotated refresh token used again was stolen, so the session
    it belongs to ends, whichever of the thief and the user holds the newest token."""
    successor = refresh(pair["refresh_token"]).json()
    grandchild = refresh(successor["refresh_token"]).json()
    past_the_grace()

    assert_401(refresh(pair["refresh_token"]))

    assert_401(refresh(grandchild["refresh_token"]))
    assert_401(logout(grandchild["refresh_token"]))


def test_replaying_a_refresh_token_leaves_other_logins_alone(user, pair):
    other_login = token_pair_for(user)
    refresh(pair["refresh_token"])
    past_the_grace()

    assert_401(refresh(pair["refresh_token"]))

    assert refresh(other_login["refresh_token"]).status_code == 200


def test_replaying_a_logged_out_refresh_token_revokes_nothing_else(user, pair):
    logout(pair["refresh_token"])
    other_login = token_pair_for(user)

    assert_401(refresh(pair["refresh_token"]))

    assert refresh(other_login["refresh_token"]).status_code == 200


def test_reactivating_a_user_does_not_revive_tokens_issued_before(user, pair):
    users_deactivate(users=User.objects.filter(pk=user.pk))
    User.objects.filter(pk=user.pk).update(is_active=True)

    assert_401(get_me(pair["access_token"]))
    assert_401(refresh(pair["refresh_token"]))
    assert_401(logout(pair["refresh_token"]))
    user.refresh_from_db()
    assert get_me(token_pair_for(user)["access_token"]).status_code == 200


def test_tokens_carry_nothing_derived_from_the_password(user, pair):
    for token in (pair["access_token"], pair["refresh_token"]):
        claims = jwt.decode(token, options={"verify_signature": False})

        assert set(claims) == {"token_type", "exp", "iat", "jti", "user_id", "ver", "fam"}
        assert claims["ver"] == user.token_version


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer", "bEaReR"])
def test_the_bearer_scheme_is_case_insensitive(pair, scheme):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {pair['access_token']}")

    assert client.get(ME).status_code == 200


def test_another_scheme_is_not_bearer(pair):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {pair['access_token']}")

    assert_401(client.get(ME))


def test_a_revocation_made_here_takes_effect_at_once(user, pair):
    assert get_me(pair["access_token"]).status_code == 200

    users_deactivate(users=User.objects.filter(pk=user.pk))

    assert_401(get_me(pair["access_token"]))


def test_a_password_change_refuses_the_old_tokens_before_it_answers(user, pair):
    assert get_me(pair["access_token"]).status_code == 200  # its state is now held in Redis
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    body = {"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-passphrase"}

    assert client.post("/api/v1/users/me/password/", body, format="json").status_code == 204

    assert_401(get_me(pair["access_token"]))
    assert_401(refresh(pair["refresh_token"]))


def test_logout_ends_the_access_tokens_of_that_login_only(user, pair):
    other_login = token_pair_for(user)
    assert get_me(pair["access_token"]).status_code == 200

    assert logout(pair["refresh_token"]).status_code == 204

    assert_401(get_me(pair["access_token"]))
    assert get_me(other_login["access_token"]).status_code == 200


def test_two_refreshes_of_one_token_at_once_keep_the_login(pair):
    """Two tabs refresh with the same token within the grace: both get a pair, and the login
    goes on in both."""
    first = refresh(pair["refresh_token"])
    second = refresh(pair["refresh_token"])

    assert (first.status_code, second.status_code) == (200, 200)
    for new in (first.json(), second.json()):
        assert get_me(new["access_token"]).status_code == 200
        assert refresh(new["refresh_token"]).status_code == 200
    assert get_me(pair["access_token"]).status_code == 200


def test_a_replay_after_the_grace_ends_the_login_access_tokens_included(pair):
    successor = refresh(pair["refresh_token"]).json()
    past_the_grace()

    assert_401(refresh(pair["refresh_token"]))

    assert_401(get_me(successor["access_token"]))
    assert_401(get_me(pair["access_token"]))


@pytest.mark.django_db(transaction=True)
def test_a_user_deleted_while_a_request_is_under_way_is_401_not_500(user, pair, monkeypatch):
    """The request was authenticated just before the deletion committed: each route then
    finds no user, and answers 401; none fails on the missing row."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    as_authenticated = revocation.token_states(
        user.pk, uuid.UUID(AccessToken(pair["access_token"])["fam"])
    )
    monkeypatch.setattr(tokens, "token_states", lambda *args: as_authenticated)
    user.delete()

    answers = [
        client.get(ME),
        client.patch(ME, {"username": "someone_else"}, format="json"),
        client.post("/api/v1/posts/", {"title": "T", "content": "C"}, format="json"),
        client.post(
            "/api/v1/users/me/password/",
            {"current_password": "x", "new_password": "y-y-y-y-y"},
            format="json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [401] * 4
