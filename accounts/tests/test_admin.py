from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for

CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_session(client, staff):
    client.force_login(staff)
    return client


def listed_handles(response):
    return {user.username for user in response.context["cl"].result_list}


def run_action(admin_session, action, *users):
    return admin_session.post(
        CHANGELIST,
        {"action": action, "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_changelist_searches_by_email_and_handle(admin_session):
    UserFactory(username="ada", email="lovelace@example.com")
    UserFactory(username="grace", email="hopper@example.com")

    assert listed_handles(admin_session.get(CHANGELIST, {"q": "LOVELACE@"})) == {"ada"}
    assert listed_handles(admin_session.get(CHANGELIST, {"q": "grac"})) == {"grace"}


def test_changelist_filters_by_active_staff_and_joined(admin_session):
    UserFactory(username="dormant", is_active=False)
    UserFactory(username="veteran", created_at=timezone.now() - timedelta(days=400))

    assert listed_handles(admin_session.get(CHANGELIST, {"is_active__exact": "0"})) == {"dormant"}
    assert listed_handles(admin_session.get(CHANGELIST, {"is_staff__exact": "1"})) == {"moderator"}
    changelist = admin_session.get(CHANGELIST).context["cl"]
    joined = next(spec for spec in changelist.filter_specs if spec.title == "joined")
    past_week = next(
        choice for choice in joined.choices(changelist) if choice["display"] == "Past 7 days"
    )
    past_week_url = CHANGELIST + past_week["query_string"]
    assert listed_handles(admin_session.get(past_week_url)) == {"dormant", "moderator"}


def test_deactivate_refuses_existing_tokens_and_new_logins(admin_session, api_client):
    member = UserFactory()
    member_client = client_for(member)
    assert member_client.get("/api/v1/users/me/").status_code == 200

    response = run_action(admin_session, "deactivate", member)

    assert "Deactivated 1 user(s)." in response.content.decode()
    me = member_client.get("/api/v1/users/me/")
    assert me.status_code == 401
    assert me.headers["WWW-Authenticate"].startswith("Bearer")
    login = api_client.post(
        "/api/v1/auth/login/", {"username": member.username, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 401


def test_reactivate_lets_the_user_log_in_again(admin_session, api_client):
    member = UserFactory(is_active=False)

    response = run_action(admin_session, "reactivate", member)

    assert "Reactivated 1 user(s)." in response.content.decode()
    login = api_client.post(
        "/api/v1/auth/login/", {"username": member.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200


def test_staff_cannot_deactivate_themselves(admin_session, staff):
    member = UserFactory()

    response = run_action(admin_session, "deactivate", staff, member)

    assert "You cannot deactivate yourself." in response.content.decode()
    assert set(User.objects.filter(is_active=True).values_list("username", flat=True)) == {
        "moderator"
    }


@pytest.mark.parametrize("extra_users", [1, 30])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_session, django_assert_num_queries, extra_users
):
    UserFactory.create_batch(extra_users)

    # Session, user, then count, total count and the page itself.
    with django_assert_num_queries(5):
        response = admin_session.get(CHANGELIST)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == extra_users + 1


def test_staff_can_add_a_user_from_the_admin(admin_session, api_client):
    response = admin_session.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Member@Example.com",
            "username": "new_member",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )

    assert response.status_code == 302
    login = api_client.post(
        "/api/v1/auth/login/", {"username": "new.member@example.com", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200
