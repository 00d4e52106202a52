import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

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


def test_counters_live_in_the_configured_cache(api_client, rates, settings):
    """With REDIS_URL set the counters are in Redis, shared by every worker and server."""
    from django.core.cache import caches

    cache = caches["default"]
    rates(login_account="5/min", login_ip="100/min")
    login(api_client, "shared@example.com")

    key = "throttle_login_account_shared@example.com"
    assert len(cache.get(key)) == 1
    expected = "RedisCache" if settings.REDIS_URL else "LocMemCache"
    assert type(cache).__name__ == expected
