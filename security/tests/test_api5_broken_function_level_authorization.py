"""API5:2023 Broken Function Level Authorization: moderation is the admin's, for staff only, and
the API has no privileged function at all.

Already covered elsewhere: what staff do in the admin, and that its actions keep counts exact
(accounts/tests/test_admin.py, posts/tests/test_admin.py, e2e/test_admin.py).
"""

import pytest
from django.urls import reverse

from accounts.services import token_pair_for
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/accounts/user/",
    "/admin/posts/post/",
    "/admin/votes/vote/",
    "/admin/comments/comment/",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_send_anonymous_callers_to_the_login(client, page):
    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_send_signed_in_non_staff_users_to_the_login(client, page):
    client.force_login(UserFactory())

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_cannot_log_in_to_the_admin(client):
    member = UserFactory()

    response = client.post(
        reverse("admin:login"), {"username": member.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_without_permissions_see_no_model(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/admin/").status_code == 200
    for page in ADMIN_PAGES[1:]:
        assert client.get(page).status_code == 403, page


def test_a_non_staff_session_cannot_run_an_admin_action(client):
    post = PostFactory(published=True)
    client.force_login(UserFactory())

    client.post(
        "/admin/posts/post/", {"action": "unpublish", "_selected_action": [post.pk]}, follow=True
    )

    post.refresh_from_db()
    assert post.published is True


@pytest.mark.parametrize("page", ["/admin/", "/admin/accounts/user/"])
def test_a_superusers_bearer_token_opens_no_admin_page(api_client, page):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(superuser)['access_token']}")

    response = api_client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_have_no_extra_power_in_the_api(user):
    """Moderation happens in the admin only: through the API a superuser is a user like any."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    post, draft = PostFactory(owner=user), DraftFactory(owner=user)

    assert (
        client.patch(f"/api/v1/posts/{post.id}/", {"title": "x"}, format="json").status_code == 403
    )
    assert client.delete(f"/api/v1/posts/{post.id}/").status_code == 403
    assert client.get(f"/api/v1/posts/{draft.id}/").status_code == 404
    assert client.get(f"/api/v1/posts/?owner={user.id}").json()["count"] == 1
    assert "is_staff" not in client.get("/api/v1/users/me/").json()


@pytest.mark.parametrize("method", ["get", "delete", "put", "patch"])
def test_there_is_no_function_over_all_users(method):
    """No listing, bulk edit or bulk delete of accounts, for anyone."""
    client = client_for(UserFactory(is_staff=True, is_superuser=True))

    assert getattr(client, method)("/api/v1/users/").status_code == 405


def test_a_method_override_header_is_ignored(other_client):
    post = PostFactory()

    response = other_client.post(
        f"/api/v1/posts/{post.id}/", {}, format="json", HTTP_X_HTTP_METHOD_OVERRIDE="DELETE"
    )

    assert response.status_code == 405
    assert Post.objects.filter(pk=post.pk).exists()
