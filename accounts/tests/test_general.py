"""The contract's General section, as seen through the account routes."""

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_post_without_trailing_slash_is_served_not_redirected(api_client):
    response = api_client.post(
        "/api/v1/users", {"email": "ada@example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "path", ["/api/v1/users/me", "/api/v1/users/me/", "/api/v1/users/{id}", "/api/v1/users/{id}/"]
)
def test_get_with_and_without_trailing_slash(auth_client, user, path):
    assert auth_client.get(path.format(id=user.id)).status_code == 200


def test_password_change_without_trailing_slash(auth_client):
    response = auth_client.post(
        "/api/v1/users/me/password",
        {"current_password": DEFAULT_PASSWORD, "new_password": "another-long-passphrase"},
        format="json",
    )

    assert response.status_code == 204


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_non_json_body_is_415(api_client, content_type):
    response = api_client.post("/api/v1/users/", "email=a@example.com", content_type=content_type)

    assert response.status_code == 415
    assert "detail" in response.json()


def test_unparsable_json_is_400_with_detail(api_client):
    response = api_client.post("/api/v1/users/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_json_that_is_not_an_object_is_400(api_client):
    response = api_client.post("/api/v1/users/", [1, 2], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_non_standard_json_constant_is_400(api_client):
    response = api_client.post("/api/v1/users/", '{"email": NaN}', content_type="application/json")

    assert response.status_code == 400


def test_no_response_contains_a_password_hash(api_client, auth_client, user):
    bodies = [
        api_client.get(f"/api/v1/users/{user.id}/").content,
        auth_client.get("/api/v1/users/me/").content,
    ]

    for body in bodies:
        assert b"password" not in body
        assert user.password.encode() not in body


def test_unknown_route_under_the_api_is_404(api_client):
    assert api_client.get("/api/v1/nothing-here/").status_code == 404
