"""A lone surrogate (JSON's `\\ud800` escape alone) in any string field of any route is a 400.

It decodes to a Python string that no database driver, cache client or log handler can
encode; a login `username` holding one was a 500 (the cache client failed on the key).
"""

import pytest

from comments.tests.factories import CommentFactory
from conftest import client_for
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

LONE = "ada\\ud800"  # as written in the JSON text: the escape, not the character


@pytest.mark.parametrize(
    ("method", "path", "fields", "field", "needs_token"),
    [
        (
            "post",
            "/api/v1/users/",
            {"email": "a@example.com", "password": "long-enough-9"},
            "email",
            False,
        ),
        (
            "post",
            "/api/v1/users/",
            {"email": "a@example.com", "password": "long-enough-9"},
            "password",
            False,
        ),
        (
            "post",
            "/api/v1/users/",
            {"email": "a@example.com", "password": "long-enough-9"},
            "username",
            False,
        ),
        ("post", "/api/v1/auth/login/", {"password": "x"}, "username", False),
        ("post", "/api/v1/auth/login/", {"password": "x"}, "email", False),
        ("post", "/api/v1/auth/login/", {"username": "ada"}, "password", False),
        ("post", "/api/v1/auth/login/", {"username": "ada", "password": "x"}, "grant_type", False),
        ("post", "/api/v1/auth/refresh/", {}, "refresh_token", False),
        ("post", "/api/v1/auth/logout/", {}, "refresh_token", False),
        ("patch", "/api/v1/users/me/", {}, "email", True),
        ("patch", "/api/v1/users/me/", {}, "username", True),
        (
            "post",
            "/api/v1/users/me/password/",
            {"new_password": "long-enough-9"},
            "current_password",
            True,
        ),
        ("post", "/api/v1/users/me/password/", {"current_password": "x"}, "new_password", True),
        ("post", "/api/v1/posts/", {"content": "c"}, "title", True),
        ("post", "/api/v1/posts/", {"title": "t"}, "content", True),
        ("patch", "/api/v1/posts/{post}/", {}, "title", True),
        ("put", "/api/v1/posts/{post}/", {"content": "c"}, "title", True),
        ("post", "/api/v1/posts/{post}/comments/", {}, "content", True),
        ("patch", "/api/v1/comments/{comment}/", {}, "content", True),
    ],
)
def test_a_lone_surrogate_is_a_400_on_every_string_field(
    api_client, user, method, path, fields, field, needs_token
):
    post = PostFactory(owner=user)
    comment = CommentFactory(post=post, author=user)
    client = client_for(user) if needs_token else api_client
    members = [f'"{name}": "{value}"' for name, value in fields.items()]
    body = "{" + ", ".join([*members, f'"{field}": "{LONE}"']) + "}"

    response = getattr(client, method)(
        path.format(post=post.id, comment=comment.id), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
