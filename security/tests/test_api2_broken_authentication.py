"""API2:2023 Broken Authentication.

Already covered elsewhere: login throttled per account and per address, with Retry-After, even
with the right password (accounts/tests/test_throttling.py); the same 401 and the same work for a
wrong email, handle or password and for inactive users (accounts/tests/test_login.py); tokens
signed with another key, `alg: none`, tampered, without `exp`, expired, revoked, rotated, of a
deleted or deactivated user (accounts/tests/test_tokens.py); tokens issued before a password
change (accounts/tests/test_password.py).
"""

import base64
from urllib.parse import urlencode

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.services import token_pair_for
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
LOGIN = "/api/v1/auth/login/"


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def assert_401(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_refresh_token_is_not_an_access_token(user):
    assert_401(bearer(token_pair_for(user)["refresh_token"]).get(ME))


# The test key is shorter than PyJWT recommends for HS512; production keys are 64+ characters.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_a_token_signed_with_the_right_key_but_another_algorithm_is_401(user, algorithm):
    payload = dict(AccessToken.for_user(user).payload)
    token = jwt.encode(payload, settings.SECRET_KEY, algorithm=algorithm)

    assert_401(bearer(token).get(ME))


def test_a_token_in_the_query_string_is_not_a_credential(api_client, user):
    token = token_pair_for(user)["access_token"]

    assert_401(api_client.get(f"{ME}?access_token={token}"))


def test_http_basic_with_the_right_password_is_not_a_credential(api_client, user):
    basic = base64.b64encode(f"{user.email}:{DEFAULT_PASSWORD}".encode()).decode()

    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Basic {basic}")

    assert_401(response)


def test_an_admin_session_cookie_does_not_authenticate_the_api(client):
    """Only bearer tokens authenticate: no cookie, so no cross-site request can act for a user."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get(ME).status_code == 401
    assert client.post("/api/v1/posts/", {"title": "t", "content": "c"}).status_code == 401


def test_tokens_from_before_a_password_change_stay_revoked_after_changing_it_back(user):
    old = token_pair_for(user)
    changer = bearer(old["access_token"])
    body = {"current_password": DEFAULT_PASSWORD, "new_password": "an-interim-passphrase"}
    assert changer.post(f"{ME}password/", body, format="json").status_code == 204
    user.refresh_from_db()
    back = {"current_password": "an-interim-passphrase", "new_password": DEFAULT_PASSWORD}
    assert (
        bearer(token_pair_for(user)["access_token"])
        .post(f"{ME}password/", back, format="json")
        .status_code
        == 204
    )

    assert_401(bearer(old["access_token"]).get(ME))
    refresh = APIClient().post(
        "/api/v1/auth/refresh/", {"refresh_token": old["refresh_token"]}, format="json"
    )
    assert_401(refresh)


def test_a_refresh_token_of_a_deleted_user_cannot_mint_tokens_for_a_new_user_with_its_id(user):
    """Ids are not reused and a token names its user by id: a new account never inherits one."""
    refresh = str(RefreshToken.for_user(user))
    old_id = user.id
    user.delete()
    newcomer = UserFactory()

    assert newcomer.id != old_id
    response = APIClient().post("/api/v1/auth/refresh/", {"refresh_token": refresh}, format="json")
    assert_401(response)


@pytest.fixture
def strict_account_rate(settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "login_account": "3/min", "login_ip": "100/min"},
    )


def test_the_account_throttle_counts_across_fields_and_body_formats(
    api_client, strict_account_rate
):
    """Guessing for one account through `username`, `email`, JSON and the form, in any case and
    with padding, all count against that one account."""
    UserFactory(email="ada@example.com")
    form = "application/x-www-form-urlencoded"
    attempts = [
        api_client.post(LOGIN, {"username": "ada@example.com", "password": "guess-1"}),
        api_client.post(LOGIN, {"email": " ADA@example.com", "password": "guess-2"}),
        api_client.post(
            LOGIN, urlencode({"username": "Ada@Example.com ", "password": "g3"}), content_type=form
        ),
    ]
    statuses = [response.status_code for response in attempts]

    right = api_client.post(LOGIN, {"email": "ada@example.com", "password": DEFAULT_PASSWORD})

    assert statuses == [401, 401, 401]
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
