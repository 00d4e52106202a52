import pytest
from rest_framework.test import APIClient

from accounts.services import token_pair_for
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/me/password/"
NEW = "a-brand-new-passphrase"


def change(client, current=DEFAULT_PASSWORD, new=NEW):
    return client.post(URL, {"current_password": current, "new_password": new}, format="json")


def test_change_password_is_204_and_new_password_logs_in(auth_client, user, api_client):
    assert change(auth_client).status_code == 204

    user.refresh_from_db()
    assert user.check_password(NEW)
    login = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": NEW}, format="json"
    )
    assert login.status_code == 200


def test_tokens_issued_before_a_password_change_are_401(user):
    old = token_pair_for(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {old['access_token']}")

    assert change(client).status_code == 204

    assert client.get("/api/v1/users/me/").status_code == 401
    refresh = APIClient().post(
        "/api/v1/auth/refresh/", {"refresh_token": old["refresh_token"]}, format="json"
    )
    assert refresh.status_code == 401
    logout = APIClient().post(
        "/api/v1/auth/logout/", {"refresh_token": old["refresh_token"]}, format="json"
    )
    assert logout.status_code == 401


def test_tokens_issued_after_a_password_change_work(auth_client, user):
    change(auth_client)
    user.refresh_from_db()

    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['access_token']}")
    assert fresh.get("/api/v1/users/me/").status_code == 200


def test_wrong_current_password_is_400(auth_client, user):
    response = change(auth_client, current="not-my-password")

    assert response.status_code == 400
    assert list(response.json()) == ["current_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize("new", ["short", "password123", "12345678901"])
def test_weak_new_password_is_400(auth_client, new):
    response = change(auth_client, new=new)

    assert response.status_code == 400
    assert list(response.json()) == ["new_password"]


def test_change_password_needs_a_token(api_client):
    assert change(api_client).status_code == 401


def test_change_password_missing_fields_is_400(auth_client):
    response = auth_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"current_password", "new_password"}
