"""Sign-up's own limit per address: each sign-up hashes a password and tells whether an email
has an account, and so does an email change."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.rates import configured_rate, parse_rate

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
ME = "/api/v1/users/me/"


def sign_up(client, email, **extra):
    body = {"email": email, "password": "correct-horse-battery"}
    return client.post(URL, body, format="json", **extra)


def test_sign_ups_from_one_address_are_limited_with_retry_after(api_client, rates):
    rates(signup="2/30m", anon="100/min")

    statuses = [sign_up(api_client, f"new{n}@example.com").status_code for n in range(2)]
    refused = sign_up(api_client, "new2@example.com")

    assert statuses == [201, 201]
    assert refused.status_code == 429
    assert 1700 < int(refused.headers["Retry-After"]) <= 1800


def test_refused_sign_ups_count_too(api_client, rates, user):
    rates(signup="2/30m", anon="100/min")

    taken = [sign_up(api_client, user.email).status_code for _ in range(2)]
    new = sign_up(api_client, "fresh@example.com")

    assert taken == [400, 400]
    assert new.status_code == 429


def test_another_address_may_still_sign_up(api_client, rates):
    rates(signup="1/30m", anon="100/min")
    sign_up(api_client, "first@example.com", REMOTE_ADDR="198.51.100.1")

    response = sign_up(api_client, "second@example.com", REMOTE_ADDR="198.51.100.2")

    assert response.status_code == 201


def test_email_changes_count_against_the_same_limit(auth_client, rates):
    rates(signup="2/30m", user="100/min")

    changes = [
        auth_client.patch(ME, {"email": f"moved{n}@example.com"}, format="json").status_code
        for n in range(2)
    ]
    third = auth_client.patch(ME, {"email": "moved2@example.com"}, format="json")

    assert changes == [200, 200]
    assert third.status_code == 429
    assert int(third.headers["Retry-After"]) > 0


def test_handle_changes_and_reads_do_not_count(auth_client, rates):
    rates(signup="1/30m", user="100/min")

    handles = [
        auth_client.patch(ME, {"username": f"handle_{n}"}, format="json").status_code
        for n in range(3)
    ]
    reads = [auth_client.get(ME).status_code for _ in range(3)]
    email = auth_client.patch(ME, {"email": "moved@example.com"}, format="json")

    assert handles == [200, 200, 200]
    assert reads == [200, 200, 200]
    assert email.status_code == 200


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("5/30m", (5, 1800)),
        ("5/30min", (5, 1800)),
        ("20/min", (20, 60)),
        ("600/minute", (600, 60)),
        ("1/s", (1, 1)),
        ("3/2h", (3, 7200)),
        ("100000/day", (100000, 86400)),
    ],
)
def test_a_rate_is_a_number_per_a_number_of_units(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize(
    "rate", ["5", "5/", "/min", "five/min", "5/30", "5/0m", "-5/min", "5/week"]
)
def test_a_malformed_rate_stops_the_settings(rate):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(rate)


def test_the_settings_refuse_a_malformed_rate():
    with pytest.raises(ImproperlyConfigured, match="SIGNUP_RATE_PER_IP"):
        configured_rate("SIGNUP_RATE_PER_IP", "5/fortnight")
