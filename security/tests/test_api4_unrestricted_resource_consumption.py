"""API4:2023 Unrestricted Resource Consumption.

Already covered elsewhere: the body size limit (413) on sign-up and the login form
(core/tests/test_body_size.py), the page size clamp (posts/tests/test_pagination.py), deep pages
read in one query (posts/tests/test_deep_pages.py), and the login, anonymous and user throttles
(accounts/tests/test_throttling.py).
"""

import pytest

from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# 100,000 nested arrays: 200 KB, under the body size limit, and far deeper than Python's json
# module can recurse.
NESTED = "[" * 100_000 + "]" * 100_000


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
