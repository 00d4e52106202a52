"""API4:2023 Unrestricted Resource Consumption.

Already covered elsewhere: the body size limit (413) on sign-up and the login form
(core/tests/test_body_size.py), the page size clamp (posts/tests/test_pagination.py), deep pages
read in one query (posts/tests/test_deep_pages.py), and the login, anonymous and user throttles
(accounts/tests/test_throttling.py).
"""

import time

import pytest
from django.utils import timezone

from posts.filters import SEARCH_MAX_LENGTH
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# 100,000 nested arrays: 200 KB, under the body size limit, and far deeper than Python's json
# module can recurse.
NESTED = "[" * 100_000 + "]" * 100_000
# Past the offset from which the feed reads a page's ids first (posts.pagination).
DEEP_FEED = 1_500


@pytest.mark.parametrize(
    ("method", "path", "authenticated"),
    [
        ("post", "/api/v1/users/", False),
        ("post", "/api/v1/auth/login/", False),
        ("post", "/api/v1/auth/refresh/", False),
        ("post", "/api/v1/posts/", True),
        ("put", "/api/v1/posts/{post}/", True),
        ("post", "/api/v1/votes/", True),
        ("patch", "/api/v1/users/me/", True),
    ],
)
def test_json_nested_too_deeply_is_400_not_500(
    user, api_client, auth_client, method, path, authenticated
):
    client = auth_client if authenticated else api_client
    path = path.format(post=PostFactory(owner=user).id)

    response = getattr(client, method)(path, NESTED, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def many_fields(count):
    return "&".join(f"f{n}=x" for n in range(count))


def test_login_form_with_too_many_fields_is_400_not_500(api_client, settings):
    response = api_client.post(
        "/api/v1/auth/login/",
        f"{many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}&username=a&password=b",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "detail" in response.json()


def test_query_string_with_too_many_parameters_is_400_not_500(api_client, settings):
    response = api_client.get(
        f"/api/v1/posts/?{many_fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}"
    )

    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/posts/"),
        ("put", "/api/v1/posts/{post}/"),
        ("patch", "/api/v1/posts/{post}/"),
        ("post", "/api/v1/votes/"),
        ("patch", "/api/v1/users/me/"),
        ("post", "/api/v1/users/me/password/"),
        ("post", "/api/v1/auth/refresh/"),
        ("post", "/api/v1/auth/logout/"),
    ],
)
def test_every_body_over_the_limit_is_refused_unread(user, auth_client, settings, method, path):
    """413 on every route that takes a body (sign-up and login: core/tests/test_body_size.py);
    the post is not touched."""
    post = PostFactory(owner=user, title="Kept")
    body = '{"title": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'

    response = getattr(auth_client, method)(
        path.format(post=post.id), body, content_type="application/json"
    )

    assert response.status_code == 413
    post.refresh_from_db()
    assert post.title == "Kept"


def test_an_absurd_page_size_is_clamped_not_refused(api_client):
    PostFactory.create_batch(3)

    response = api_client.get(f"/api/v1/posts/?limit={10**30}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_a_deep_page_costs_what_the_first_page_costs(api_client, django_assert_max_num_queries):
    """Paging to the end of a long feed reads one page of rows, not every row skipped."""
    owner = PostFactory().owner
    now = timezone.now()
    Post.objects.bulk_create(
        Post(owner=owner, title=f"post {n}", content="c", published_at=now)
        for n in range(DEEP_FEED)
    )
    started = time.monotonic()

    with django_assert_max_num_queries(2):
        response = api_client.get(f"/api/v1/posts/?offset={DEEP_FEED - 5}&limit=100")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 6
    assert time.monotonic() - started < 2


def test_a_search_of_hundreds_of_terms_is_refused_before_any_query(
    api_client, django_assert_num_queries
):
    """Each term is one more substring test of every title (2.2 s for 100 terms at 100,000
    posts): past SEARCH_MAX_TERMS the search is a 400, and the database never sees it."""
    terms = " ".join(f"t{n}" for n in range(500))

    with django_assert_num_queries(0):
        response = api_client.get("/api/v1/posts/", {"search": terms[:SEARCH_MAX_LENGTH]})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]
