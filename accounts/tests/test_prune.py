"""Token tables stay bounded: expired refresh tokens, their blacklist rows and expired logins
are deleted by `manage.py prune_expired`, which the deployment runs on a schedule."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import TokenFamily
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=400)


def log_in_and_refresh(client, user, refreshes):
    body = {"username": user.username, "password": DEFAULT_PASSWORD}
    pair = client.post("/api/v1/auth/login/", body, format="json").json()
    for _ in range(refreshes):
        answer = client.post("/api/v1/auth/refresh/", {"refresh_token": pair["refresh_token"]})
        pair = answer.json()
    return pair


def let_everything_expire():
    """As if the refresh token lifetime had passed since every row was written."""
    OutstandingToken.objects.update(expires_at=F("expires_at") - LONG_AGO)
    TokenFamily.objects.update(expires_at=F("expires_at") - LONG_AGO)


def sizes():
    return (
        OutstandingToken.objects.count(),
        BlacklistedToken.objects.count(),
        TokenFamily.objects.count(),
    )


def test_the_token_tables_stay_bounded_under_a_login_and_refresh_loop(user, rates):
    rates(login_account="1000/min", login_ip="1000/min", anon="1000/min")
    client = APIClient()
    after_each_round = []

    for _ in range(5):
        log_in_and_refresh(client, user, refreshes=4)
        let_everything_expire()
        log_in_and_refresh(client, user, refreshes=4)  # this round's live login
        call_command("prune_expired", verbosity=0)
        after_each_round.append(sizes())

    # One live login: its 5 refresh tokens (4 spent, on the blacklist) and its family.
    assert after_each_round == [(5, 4, 1)] * 5


def test_live_logins_survive_a_prune(user, rates):
    rates(login_account="1000/min", login_ip="1000/min")
    pair = log_in_and_refresh(APIClient(), user, refreshes=2)

    call_command("prune_expired", verbosity=0)

    answer = APIClient().post("/api/v1/auth/refresh/", {"refresh_token": pair["refresh_token"]})
    assert answer.status_code == 200


def test_a_login_ends_when_its_newest_refresh_token_expires(user, rates):
    rates(login_account="1000/min", login_ip="1000/min")
    log_in_and_refresh(APIClient(), user, refreshes=1)
    family = TokenFamily.objects.get()
    newest = OutstandingToken.objects.order_by("-created_at").first()

    assert abs(family.expires_at - newest.expires_at) < timedelta(seconds=1)


def test_the_command_can_run_on_a_schedule_of_its_own(capsys):
    call_command("prune_expired", "--every", "0.05", "--rounds", "3")

    assert capsys.readouterr().out.count("pruned") == 3
