"""The same error reads the same on every route: a client matches on one message, not three."""

import pytest

from posts.tests.factories import DraftFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}
BAD_INTEGER = "A valid integer is required."


def test_a_missing_or_invisible_post_reads_the_same_on_every_route(auth_client):
    hidden = DraftFactory().id
    for post_id in (999_999, hidden):
        answers = [
            auth_client.get(f"/api/v1/posts/{post_id}/"),
            auth_client.patch(f"/api/v1/posts/{post_id}/", {"title": "t"}, format="json"),
            auth_client.delete(f"/api/v1/posts/{post_id}/"),
            auth_client.post("/api/v1/votes/", {"post_id": post_id, "dir": 1}, format="json"),
        ]

        assert [(a.status_code, a.json()) for a in answers] == [(404, NOT_FOUND)] * 4


def test_a_missing_user_and_an_unknown_route_read_the_same(api_client):
    assert api_client.get("/api/v1/users/999999/").json() == NOT_FOUND
    assert api_client.get("/api/v1/posts/0.5/").json() == NOT_FOUND
    assert api_client.get("/api/v1/nothing-here/").json() == NOT_FOUND


def test_a_bad_integer_reads_the_same_in_a_body_and_in_a_query(auth_client):
    in_body = auth_client.post("/api/v1/votes/", {"post_id": "x", "dir": 1}, format="json")
    in_filter = auth_client.get("/api/v1/posts/", {"owner": "x"})
    in_paging = auth_client.get("/api/v1/posts/", {"limit": "x"})

    assert in_body.json() == {"post_id": [BAD_INTEGER]}
    assert in_filter.json() == {"owner": [BAD_INTEGER]}
    assert in_paging.json() == {"limit": [BAD_INTEGER]}
