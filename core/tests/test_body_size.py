"""Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused with 413 before anything reads them."""

import io
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


def chunked(body, *, decoded_by_server=True):
    """The WSGI environ of a chunked body as gunicorn hands it over: no Content-Length, the
    chunks already decoded, and `wsgi.input_terminated` to say so."""
    environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body.encode())}
    if decoded_by_server:
        environ["wsgi.input_terminated"] = True
    return environ


def test_a_chunked_sign_up_is_read(api_client):
    body = json.dumps({"email": "ada@example.com", "password": "a-long-passphrase"})

    response = api_client.generic(
        "POST", "/api/v1/users/", content_type="application/json", **chunked(body)
    )

    assert response.status_code == 201
    assert response.json()["email"] == "ada@example.com"


def test_a_chunked_body_over_the_limit_is_413(api_client):
    body = signup_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = api_client.generic(
        "POST", "/api/v1/users/", content_type="application/json", **chunked(body)
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}


def test_a_chunked_body_the_server_did_not_decode_is_411(api_client):
    body = json.dumps({"email": "ada@example.com", "password": "a-long-passphrase"})

    response = api_client.generic(
        "POST",
        "/api/v1/users/",
        content_type="application/json",
        **chunked(body, decoded_by_server=False),
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
