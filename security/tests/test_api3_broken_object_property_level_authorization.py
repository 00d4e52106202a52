"""API3:2023 Broken Object Property Level Authorization: no one writes a property they may not,
and no one reads a property that is not theirs.

Already covered elsewhere: `is_staff` and `id` ignored at sign-up (accounts/tests/test_signup.py)
and on a profile change (accounts/tests/test_profile.py); `owner`, `owner_id`, `votes`, `voted`,
`id` and dates ignored when writing a post (posts/tests/test_create.py, PATCH in
posts/tests/test_update.py); the public profile without email (accounts/tests/test_profile.py);
no password hash on the user routes (accounts/tests/test_general.py).
"""

import pytest

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for
from posts.tests.factories import PostFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

PRIVILEGED = {
    "is_superuser": True,
    "is_staff": True,
    "is_active": False,
    "created_at": "2000-01-01T00:00:00Z",
    "last_login": "2000-01-01T00:00:00Z",
    "groups": [1],
    "user_permissions": [1],
}


def test_sign_up_ignores_every_privileged_property(api_client):
    body = {"email": "mallory@example.com", "password": "a-long-passphrase", **PRIVILEGED}

    response = api_client.post("/api/v1/users/", body, format="json")

    assert response.status_code == 201
    user = User.objects.get(email="mallory@example.com")
    assert (user.is_superuser, user.is_staff, user.is_active) == (False, False, True)
    assert user.created_at.year > 2000
    assert user.last_login is None
    assert not user.groups.exists()
    assert not user.user_permissions.exists()


def test_profile_change_ignores_privileged_properties_and_the_password(auth_client, user):
    body = {**PRIVILEGED, "password": "not-through-here-123", "username": "still_me"}

    response = auth_client.patch("/api/v1/users/me/", body, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.username == "still_me"
    assert (user.is_superuser, user.is_staff, user.is_active) == (False, False, True)
    assert user.check_password(DEFAULT_PASSWORD)
    assert user.created_at.year > 2000


def test_replacing_a_post_ignores_read_only_properties(auth_client, user):
    post = PostFactory(owner=user)
    someone = UserFactory()
    body = {
        "title": "t",
        "content": "c",
        "id": post.id + 1000,
        "owner": someone.id,
        "owner_id": someone.id,
        "votes": 99,
        "voted": True,
        "created_at": "2000-01-01T00:00:00Z",
    }

    response = auth_client.put(f"/api/v1/posts/{post.id}/", body, format="json")

    assert response.status_code == 200
    post.refresh_from_db()
    assert (post.owner_id, post.votes, post.created_at.year > 2000) == (user.id, 0, True)
    assert response.json()["id"] == post.id


def test_a_like_is_always_the_callers_whoever_the_body_names(auth_client, user):
    post, someone = PostFactory(), UserFactory()
    body = {"post_id": post.id, "dir": 1, "user": someone.id, "user_id": someone.id}

    response = auth_client.post("/api/v1/votes/", body, format="json")

    assert response.status_code == 201
    assert list(Vote.objects.values_list("user_id", flat=True)) == [user.id]


def test_no_answer_to_others_carries_an_email_or_a_password_hash(api_client, user):
    """Everything another user or an anonymous caller can get about `user` and their posts."""
    post = PostFactory(owner=user)
    other = client_for(UserFactory())
    bodies = []
    for client in (api_client, other):
        bodies += [
            client.get(f"/api/v1/users/{user.id}/"),
            client.get("/api/v1/posts/"),
            client.get(f"/api/v1/posts/?owner={user.id}&search={post.title[:3]}"),
            client.get(f"/api/v1/posts/{post.id}/"),
            client.patch(f"/api/v1/posts/{post.id}/", {"title": "x"}, format="json"),
        ]
    bodies += [
        other.post("/api/v1/votes/", {"post_id": post.id, "dir": 1}, format="json"),
        other.post("/api/v1/votes/", {"post_id": post.id, "dir": 1}, format="json"),
        api_client.post(
            "/api/v1/users/", {"email": user.email, "password": "x-long-passphrase"}, format="json"
        ),
    ]

    for response in bodies:
        content = response.content.decode()
        assert user.email not in content, response.request["PATH_INFO"]
        assert user.password not in content
