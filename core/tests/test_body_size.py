"""Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused with 413 before anything reads them."""

import json

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def signup_body(size):
    """A valid sign-up body of exactly `size` bytes (an ignored field pads it)."""
    body = {"email": "ada@example.com", "password": "a-long-passphrase", "padding": ""}
    padding = size - len(json.dumps(body))
    return json.dumps({**body, "padding": "x" * padding})


def test_body_over_the_limit_is_413_json(api_client):
    body = signup_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = api_client.post("/api/v1/users/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}
    assert "X-Request-ID" in response.headers


def test_body_at_the_limit_is_served(api_client):
    body = signup_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    assert len(body) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = api_client.post("/api/v1/users/", body, content_type="application/json")

    assert response.status_code == 201


def test_limit_comes_from_settings_and_covers_the_login_form(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api_client.post(
        "/api/v1/auth/login/",
        f"username=ada&password={'x' * 2000}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
