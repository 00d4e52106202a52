"""The refresh token in an HttpOnly cookie, for browser front ends: opt-in at login, read by
refresh and logout with a CSRF token, cleared by logout."""

import pytest
from rest_framework.test import APIClient

from accounts.cookies import REFRESH_COOKIE

pytestmark = pytest.mark.django_db

LOGIN, REFRESH, LOGOUT = "/api/v1/auth/login/", "/api/v1/auth/refresh/", "/api/v1/auth/logout/"


@pytest.fixture
def browser():
    """A client that keeps cookies and, as a browser's page must, sends the CSRF token."""
    return APIClient(enforce_csrf_checks=True)


def log_in(client, user):
    return client.post(
        LOGIN,
        {"username": user.username, "password": "correct-horse-battery", "refresh_cookie": True},
        format="json",
    )


def csrf(client):
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_login_puts_the_refresh_token_in_an_httponly_cookie_only(browser, user):
    response = log_in(browser, user)

    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "token_type", "expires_in"}
    cookie = response.cookies[REFRESH_COOKIE]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/v1/auth/"
    assert int(cookie["max-age"]) == 7 * 24 * 3600
    assert "csrftoken" in response.cookies


def test_refresh_through_the_cookie_rotates_it(browser, user):
    first = log_in(browser, user).cookies[REFRESH_COOKIE].value

    response = browser.post(REFRESH, {}, format="json", **csrf(browser))

    assert response.status_code == 200
    assert "refresh_token" not in response.json()
    assert response.cookies[REFRESH_COOKIE].value not in ("", first)
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    assert me.get("/api/v1/users/me/").status_code == 200


def test_a_refresh_through_the_cookie_without_the_csrf_token_is_403(browser, user):
    log_in(browser, user)

    response = browser.post(REFRESH, {}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")


def test_logout_ends_the_login_and_clears_the_cookie(browser, user):
    log_in(browser, user)
    spent = browser.cookies[REFRESH_COOKIE].value

    response = browser.post(LOGOUT, {}, format="json", **csrf(browser))

    assert response.status_code == 204
    assert response.cookies[REFRESH_COOKIE].value == ""
    assert response.cookies[REFRESH_COOKIE]["max-age"] == 0
    again = APIClient().post(REFRESH, {"refresh_token": spent}, format="json")
    assert again.status_code == 401


def test_without_a_body_token_or_a_cookie_refresh_is_400(browser):
    response = browser.post(REFRESH, {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"refresh_token": ["This field is required."]}


def test_the_body_mode_is_unchanged(api_client, user):
    pair = api_client.post(
        LOGIN, {"username": user.username, "password": "correct-horse-battery"}, format="json"
    )

    assert REFRESH_COOKIE not in pair.cookies
    assert "refresh_token" in pair.json()


def test_refresh_cookie_must_be_a_boolean(api_client, user):
    response = api_client.post(
        LOGIN,
        {"username": user.username, "password": "x", "refresh_cookie": "yes"},
        format="json",
    )

    assert response.status_code == 400
    assert "refresh_cookie" in response.json()
