"""Revocation reaches every worker before the revoking request answers: Agora's production
command with four worker processes, on a PostgreSQL cluster of the test's own, with and without
a Redis of the test's own. Every worker has served the token before it is revoked; right after
the revoking answer, no worker accepts it."""

import pytest
import requests

from security.tests.servers import (
    REQUEST_TIMEOUT,
    Gunicorn,
    production_environment,
    running_cluster,
)

PASSWORD = "a-revocation-passphrase"
# Each request on a connection of its own, so that the workers take turns answering them.
ROUNDS = 40


@pytest.fixture(scope="module")
def cluster():
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["redis", "no-redis"])
def server(request, cluster, tmp_path, redis_server):
    redis_url = redis_server.url if request.param == "redis" else ""
    environment = production_environment(cluster.url, REDIS_URL=redis_url, WEB_CONCURRENCY="4")
    with Gunicorn(environment, tmp_path / "gunicorn.log") as gunicorn:
        yield gunicorn


def call(server, method, path, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with requests.Session() as fresh_connection:
        return fresh_connection.request(
            method, f"{server.base}{path}", headers=headers, timeout=REQUEST_TIMEOUT, **kwargs
        )


def log_in(server, email):
    body = {"email": email, "password": PASSWORD}
    answer = call(server, "POST", "/api/v1/auth/login/", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def everywhere(server, token, path="/api/v1/users/me/"):
    return {call(server, "GET", path, token).status_code for _ in range(ROUNDS)}


def test_a_revocation_holds_on_every_worker_before_it_answers(server):
    email = "everywhere@example.com"
    assert call(server, "POST", "/api/v1/users/", json={"email": email, "password": PASSWORD}).ok

    before_change = log_in(server, email)["access_token"]
    assert everywhere(server, before_change) == {200}
    change = {"current_password": PASSWORD, "new_password": PASSWORD + "-2"}
    changed = call(server, "POST", "/api/v1/users/me/password/", before_change, json=change)
    assert changed.status_code == 204
    assert everywhere(server, before_change) == {401}

    body = {"email": email, "password": PASSWORD + "-2"}
    logged_out = call(server, "POST", "/api/v1/auth/login/", json=body).json()
    assert everywhere(server, logged_out["access_token"]) == {200}
    ended = call(
        server, "POST", "/api/v1/auth/logout/", json={"refresh_token": logged_out["refresh_token"]}
    )
    assert ended.status_code == 204
    assert everywhere(server, logged_out["access_token"]) == {401}

    deleted = call(server, "POST", "/api/v1/auth/login/", json=body).json()["access_token"]
    assert everywhere(server, deleted) == {200}
    assert call(server, "DELETE", "/api/v1/users/me/", deleted).status_code == 204
    assert everywhere(server, deleted) == {401}
    post = {"title": "After", "content": "Deleted."}
    assert {
        call(server, "POST", "/api/v1/posts/", deleted, json=post).status_code for _ in range(8)
    } == {401}
    assert "Traceback" not in server.log_path.read_text()
