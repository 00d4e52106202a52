"""Failures answer JSON, never Django's HTML pages, and are logged with the request id."""

import pytest
from django.core.signals import got_request_exception
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls")]


@pytest.fixture
def server_client():
    # Answer the way a real server does instead of re-raising into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/boom/", "/api/v1/boom/"])
def test_uncaught_error_is_json_500(server_client, path):
    response = server_client.get(path)

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal server error."}


@pytest.mark.parametrize("path", ["/boom/", "/api/v1/boom/"])
def test_uncaught_error_is_logged_with_traceback_and_request_id(server_client, json_log, path):
    response = server_client.get(path, HTTP_X_REQUEST_ID="trace-me-42")

    assert response.headers["X-Request-ID"] == "trace-me-42"
    errors = [record for record in json_log() if record["level"] == "ERROR"]
    with_traceback = [record for record in errors if "exc_info" in record]
    assert len(with_traceback) == 1
    assert "RuntimeError: boom" in with_traceback[0]["exc_info"]
    assert {record["request_id"] for record in errors} == {"trace-me-42"}


def test_unknown_api_route_is_json_404(server_client):
    response = server_client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert response.headers["Content-Length"] == str(len(response.content))


def test_unknown_page_outside_the_api_keeps_django_404(server_client):
    response = server_client.get("/nothing-here/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_disallowed_host_under_the_api_is_json_400_without_a_traceback(server_client, json_log):
    response = server_client.get("/api/v1/users/1/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
    assert [record["logger"] for record in json_log() if record["level"] != "INFO"] == []


def test_a_bug_in_an_api_view_reaches_django_and_error_trackers(client):
    """Not swallowed into a 500 inside DRF: Django's got_request_exception fires (what error
    trackers hook) and the test client re-raises the exception."""
    heard = []

    def receiver(sender, request, **kwargs):
        heard.append(request.path)

    got_request_exception.connect(receiver)
    try:
        with pytest.raises(RuntimeError, match="boom in a DRF view"):
            client.get("/api/v1/boom/")
    finally:
        got_request_exception.disconnect(receiver)

    assert heard == ["/api/v1/boom/"]


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/v1/posts/0.5/", 404, "Not found."),
        ("/api/v1/nothing-here/", 404, "Not found."),
        ("/api/nothing-here/", 404, "Not found."),
        ("/api/v1/boom/", 500, "Internal server error."),
    ],
)
def test_api_errors_are_json_in_debug_mode_too(server_client, settings, path, status, detail):
    settings.DEBUG = True  # what `make run` serves with

    response = server_client.get(path)

    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}
    # A stale Content-Length (the HTML page's) would leave clients waiting for the rest.
    assert response.headers.get("Content-Length", str(len(response.content))) == str(
        len(response.content)
    )


def test_debug_mode_keeps_its_pages_outside_the_api(server_client, settings):
    settings.DEBUG = True

    response = server_client.get("/nothing-here/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
