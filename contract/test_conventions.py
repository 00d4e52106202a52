"""The conventions of docs/API.md that every route shares (Location, Link, ETags, cursors,
rate-limit headers), tested from the outside across apps."""

import pytest

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_every_201_says_where_its_resource_is(api_client, auth_client, user, rates):
    rates(signup="1000/min")
    post = auth_client.post("/api/v1/posts/", {"title": "t", "content": "c"}, format="json")
    signed_up = api_client.post(
        "/api/v1/users/",
        {"email": "new@example.com", "password": "a-long-passphrase"},
        format="json",
    )
    other, liked = UserFactory(), PostFactory()
    followed = auth_client.post(f"/api/v1/users/{other.pk}/follow/")
    blocked = auth_client.post(f"/api/v1/users/{UserFactory().pk}/block/")
    like = auth_client.post("/api/v1/votes/", {"post_id": liked.pk, "dir": 1}, format="json")

    assert post["Location"] == f"http://testserver/api/v1/posts/{post.json()['id']}/"
    assert signed_up["Location"] == f"http://testserver/api/v1/users/{signed_up.json()['id']}/"
    assert followed["Location"] == f"http://testserver/api/v1/users/{other.pk}/follow/"
    assert blocked["Location"].endswith("/block/")
    assert like["Location"] == f"http://testserver/api/v1/posts/{liked.pk}/likes/"
    assert api_client.get(post["Location"]).status_code == 200


def test_the_main_feed_carries_link_headers(api_client):
    PostFactory.create_batch(3)

    first = api_client.get("/api/v1/posts/", {"limit": 1, "offset": 1})

    assert first["Link"] == (
        f'<{first.json()["next"]}>; rel="next", <{first.json()["previous"]}>; rel="prev"'
    )


def test_the_main_feed_pages_by_cursor_when_asked(api_client, user):
    posts = PostFactory.create_batch(5)
    newest_first = [post.pk for post in reversed(posts)]

    first = api_client.get("/api/v1/posts/", {"cursor": "first", "limit": 2}).json()
    PostFactory()  # arrives between two pages
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()

    assert "count" not in first
    shown = [p["id"] for page in (first, second, third) for p in page["results"]]
    assert shown == newest_first
    assert third["next"] is None


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"cursor": "first", "ordering": "-votes"}, "cursor"),
        ({"cursor": "first", "ordering": "-created_at,votes"}, "cursor"),
        ({"cursor": "first", "offset": "10"}, "offset"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_the_main_feed_refuses_a_cursor_it_cannot_follow(api_client, query, key):
    response = api_client.get("/api/v1/posts/", query)

    assert response.status_code == 400
    assert list(response.json()) == [key]


def test_the_main_feed_by_cursor_follows_an_ordering_by_time(api_client):
    posts = PostFactory.create_batch(3)

    body = api_client.get("/api/v1/posts/", {"cursor": "first", "ordering": "created_at"}).json()

    assert [p["id"] for p in body["results"]] == [post.pk for post in posts]


def test_a_get_carries_an_etag_and_a_matching_if_none_match_is_304(api_client):
    post = PostFactory()
    url = f"/api/v1/posts/{post.pk}/"

    first = api_client.get(url)
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    listed = api_client.get(url, HTTP_IF_NONE_MATCH=f'"other", {first["ETag"]}')

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert listed.status_code == 304
    assert first["Cache-Control"] == "public, max-age=5"
    assert "Authorization" in first["Vary"]


def test_an_etag_changes_with_the_answer_and_differs_per_caller(auth_client, api_client, user):
    post = PostFactory()
    url = f"/api/v1/posts/{post.pk}/"
    anonymous = api_client.get(url)["ETag"]
    before = auth_client.get(url)

    auth_client.post("/api/v1/votes/", {"post_id": post.pk, "dir": 1}, format="json")
    after = auth_client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert before["Cache-Control"] == "private, no-cache"
    assert after.status_code == 200
    assert after.json()["voted"] is True
    assert len({anonymous, after["ETag"]}) == 2
    assert api_client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/posts/", "/api/v1/users/me/", "/api/v1/posts/home/"])
def test_every_list_and_profile_answer_is_conditional(auth_client, path):
    first = auth_client.get(path)

    assert auth_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_error_is_never_304_and_a_write_carries_no_etag(api_client, auth_client):
    missing = api_client.get("/api/v1/posts/999999/")
    assert api_client.get("/api/v1/posts/999999/", HTTP_IF_NONE_MATCH="*").status_code == 404
    assert missing.status_code == 404
    created = auth_client.post("/api/v1/posts/", {"title": "t", "content": "c"}, format="json")
    assert not created.has_header("ETag")


def test_every_throttled_answer_says_where_the_caller_stands(api_client, rates):
    rates(anon="3/min")

    answers = [api_client.get("/api/v1/posts/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["RateLimit-Policy"] == '"anon";q=3;w=60'
    assert [a["RateLimit"].split(";t=")[0] for a in answers] == [
        '"anon";r=2',
        '"anon";r=1',
        '"anon";r=0',
        '"anon";r=0',
    ]
    assert answers[3]["RateLimit"] == f'"anon";r=0;t={answers[3]["Retry-After"]}'
    assert 0 < int(answers[3]["Retry-After"]) <= 60


def test_the_headers_show_the_limit_the_caller_is_closest_to(api_client, user, rates):
    """A login counts against the address's login rate, the identifier's, and the general
    anonymous rate: the headers name whichever has the least left."""
    rates(anon="100/min", login_ip="10/min", login_account="2/min")

    answer = api_client.post(
        "/api/v1/auth/login/", {"username": user.username, "password": "wrong"}, format="json"
    )

    assert answer.status_code == 401
    assert answer["RateLimit-Policy"] == '"login-account";q=2;w=60'
    assert answer["RateLimit"].startswith('"login-account";r=1;t=')


def test_an_unthrottled_route_carries_no_rate_limit_headers(api_client):
    assert not api_client.get("/health/").has_header("RateLimit")
