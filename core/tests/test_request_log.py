"""Every answer carries a request id and leaves one log line behind."""

import logging
import re

import pytest

pytestmark = pytest.mark.django_db


def request_lines(records):
    return [record for record in records if record["logger"] == "agora.requests"]


def test_generated_request_id_is_returned_and_logged(api_client, json_log):
    response = api_client.get("/health/")

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = request_lines(json_log())
    assert line["request_id"] == request_id
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/health/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["message"].startswith("GET /health/ 200 ")


def test_sane_incoming_request_id_is_kept(api_client, json_log):
    response = api_client.get("/health/", HTTP_X_REQUEST_ID="lb-7f3a.2:9_X")

    assert response.headers["X-Request-ID"] == "lb-7f3a.2:9_X"
    assert request_lines(json_log())[0]["request_id"] == "lb-7f3a.2:9_X"


@pytest.mark.parametrize("incoming", ["", "two words", "new\nline", 'quote"', "x" * 129, "ünïcode"])
def test_unsafe_incoming_request_id_is_replaced(api_client, incoming):
    response = api_client.get("/health/", HTTP_X_REQUEST_ID=incoming)

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_each_request_gets_its_own_id(api_client):
    first = api_client.get("/health/").headers["X-Request-ID"]
    second = api_client.get("/health/").headers["X-Request-ID"]

    assert first != second


def test_error_answers_are_logged_too(api_client, json_log):
    response = api_client.get("/api/v1/users/me/")

    assert response.status_code == 401
    [line] = request_lines(json_log())
    assert line["status"] == 401
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_path_is_logged_escaped(api_client, json_log):
    api_client.get("/nothing%0Ahere/")

    [line] = request_lines(json_log())
    assert line["path"] == "/nothing%0Ahere/"
    assert "\n" not in line["message"]


def test_outside_a_request_records_have_a_placeholder_id(json_log):
    logging.getLogger("agora.test").warning("no request here")

    assert json_log()[0]["request_id"] == "-"
