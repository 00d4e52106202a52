import warnings

import pytest

from accounts.models import IDENTIFIER_MAX_LENGTH
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.throttles import LoginIdentifierThrottle
from core import shared

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/login/"


WRONG = "wrong-password"


def login(client, identifier, password=WRONG, **extra):
    return client.post(URL, {"username": identifier, "password": password}, format="json", **extra)


def test_failed_logins_for_one_account_are_throttled_with_retry_after(api_client, rates):
    rates(login_account="3/min", login_ip="100/min")
    UserFactory(email="ada@example.com")

    statuses = [login(api_client, "ada@example.com").status_code for _ in range(3)]
    throttled = login(api_client, "ADA@example.com", DEFAULT_PASSWORD)

    assert statuses == [401, 401, 401]
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "detail" in throttled.json()


def test_account_throttle_applies_to_unknown_accounts_too(api_client, rates):
    rates(login_account="2/min", login_ip="100/min")

    statuses = [login(api_client, "ghost@example.com").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_account_throttle_does_not_block_other_accounts(api_client, rates):
    rates(login_account="1/min", login_ip="100/min")
    UserFactory(email="grace@example.com")
    login(api_client, "ada@example.com")

    response = login(api_client, "grace@example.com", DEFAULT_PASSWORD)

    assert response.status_code == 200


def test_logins_from_one_address_are_throttled_across_accounts(api_client, rates):
    rates(login_account="100/min", login_ip="3/min")

    statuses = [login(api_client, f"user{n}@example.com").status_code for n in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_forwarded_for_is_ignored_without_num_proxies(api_client, rates):
    rates(login_account="100/min", login_ip="2/min")

    statuses = [
        login(api_client, f"u{n}@example.com", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]

    assert statuses[-1] == 429


def test_anonymous_requests_are_throttled_by_anon_rate(api_client, rates, user):
    rates(anon="2/min")

    statuses = [api_client.get(f"/api/v1/users/{user.id}/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_authenticated_requests_are_throttled_by_user_rate(auth_client, rates):
    rates(user="2/min")

    statuses = [auth_client.get("/api/v1/users/me/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_forwarded_for_is_trusted_with_num_proxies(api_client, rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    rates(login_account="100/min", login_ip="1/min")

    first = login(api_client, "a@example.com", HTTP_X_FORWARDED_FOR="203.0.113.1")
    other_client = login(api_client, "b@example.com", HTTP_X_FORWARDED_FOR="203.0.113.2")
    same_client = login(api_client, "c@example.com", HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert (first.status_code, other_client.status_code, same_client.status_code) == (401, 401, 429)


def test_counters_live_in_redis_when_it_is_configured(api_client, rates, settings):
    """With REDIS_URL set the counters are in Redis, shared by every worker and server."""
    rates(login_account="5/min", login_ip="100/min")
    login(api_client, "shared@example.com")

    key = LoginIdentifierThrottle().key_for("name:shared@example.com")
    assert shared.counters().hit(key, 60)[0] == 2
    assert (shared.shared_redis() is not None) == bool(settings.REDIS_URL)


def test_handle_and_email_count_as_one_account(api_client, rates):
    """The account's limit holds whichever of its identifiers is sent: past it, even the right
    password is refused, with the 401 of a wrong one (a 429 would say that the identifiers name
    one account)."""
    rates(login_account="4/min", login_ip="100/min")
    UserFactory(username="ada", email="ada@example.com")

    statuses = [
        login(api_client, identifier).status_code
        for identifier in ["ada", "ada@example.com", " ADA ", "Ada@Example.com"]
    ]
    right_password = login(api_client, "ada@example.com", DEFAULT_PASSWORD)

    assert statuses == [401, 401, 401, 401]
    assert right_password.status_code == 401
    assert right_password.json() == {"detail": "Invalid credentials"}


def test_the_login_limit_never_tells_that_two_identifiers_name_one_account(api_client, rates):
    """After the handle's allowance is spent, a candidate email is answered the same whether or
    not it is that account's."""
    rates(login_account="3/min", login_ip="100/min")
    UserFactory(username="ada", email="ada@example.com")
    UserFactory(username="bob", email="bob@example.com")
    for _ in range(3):
        login(api_client, "ada")

    same_account = login(api_client, "ada@example.com")
    other_account = login(api_client, "bob@example.com")

    assert same_account.status_code == other_account.status_code == 401
    assert same_account.json() == other_account.json() == {"detail": "Invalid credentials"}
    assert "Retry-After" not in same_account.headers


def test_an_identifier_past_its_own_allowance_is_429(api_client, rates):
    rates(login_account="3/min", login_ip="100/min")
    UserFactory(username="ada", email="ada@example.com")

    statuses = [login(api_client, " Ada ").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_an_identifier_too_long_for_any_account_is_400_and_never_counted(api_client, rates):
    rates(login_account="1/min", login_ip="100/min")
    huge = "a" * 200_000

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's CacheKeyWarning, say, carrying the whole key
        answers = [login(api_client, huge + str(n)) for n in range(3)]
        at_limit = login(api_client, "x" * (IDENTIFIER_MAX_LENGTH + 1))

    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert answers[0].json() == {
        "username": [f"Ensure this field has no more than {IDENTIFIER_MAX_LENGTH} characters."]
    }
    assert at_limit.status_code == 400
    assert login(api_client, "x" * IDENTIFIER_MAX_LENGTH).status_code == 401


@pytest.mark.parametrize("field", ["username", "email"])
@pytest.mark.parametrize(
    ("escaped", "message"),
    [
        ("\\ud800", "Surrogate characters are not allowed: U+D800."),
        ("\\u0000", "Null characters are not allowed."),
    ],
)
def test_an_identifier_that_is_not_text_is_400(api_client, field, escaped, message):
    body = f'{{"{field}": "ada{escaped}", "password": "whatever-it-is"}}'

    response = api_client.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_password_changes_count_against_the_account_login_limit(auth_client, rates, user):
    rates(login_account="3/min", login_ip="100/min", user="100/min")

    def change(current):
        body = {"current_password": current, "new_password": "a-brand-new-passphrase"}
        return auth_client.post("/api/v1/users/me/password/", body, format="json")

    guesses = [change(f"guess-{n}").status_code for n in range(3)]
    right_one = change(DEFAULT_PASSWORD)

    assert guesses == [400, 400, 400]
    assert right_one.status_code == 429
    assert int(right_one.headers["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_guesses_leave_fewer_logins_for_the_account(auth_client, api_client, rates, user):
    rates(login_account="2/min", login_ip="100/min", user="100/min")
    body = {"current_password": "a-guess", "new_password": "a-brand-new-passphrase"}
    auth_client.post("/api/v1/users/me/password/", body, format="json")
    auth_client.post("/api/v1/users/me/password/", body, format="json")

    assert login(api_client, user.username, DEFAULT_PASSWORD).status_code == 401
