"""Every rate limit that counts a request is counted in one round trip to Redis, against a
Redis server of the test's own."""

import pytest

pytestmark = pytest.mark.django_db

FEED = "/api/v1/posts/"


def script_calls(server):
    """The scripts Redis has run so far (EVALSHA, or EVAL the first time)."""
    stats = server.client().info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("evalsha", "eval"))


def counted(server):
    """{scope: hits} for every throttle key Redis holds."""
    client = server.client()
    return {
        key.decode().removeprefix("agora:throttle_").rsplit("_", 1)[0]: int(client.get(key))
        for key in client.scan_iter("agora:throttle_*")
    }


@pytest.fixture
def shared_redis(redis_server, settings):
    settings.REDIS_URL = redis_server.url
    return redis_server


def test_an_anonymous_request_counts_both_its_limits_in_one_round_trip(
    api_client, shared_redis, rates
):
    rates(anon="100/min", user="100/min")
    assert api_client.get(FEED).status_code == 200  # Redis learns the script
    before = script_calls(shared_redis)

    assert api_client.get(FEED).status_code == 200

    assert script_calls(shared_redis) - before == 1
    assert counted(shared_redis) == {"anon": 2, "user": 2}


def test_each_limit_counted_together_still_refuses_on_its_own(api_client, shared_redis, rates):
    rates(anon="2/min", user="100/min")

    statuses = [api_client.get(FEED).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert counted(shared_redis) == {"anon": 3, "user": 3}


def test_a_login_counts_its_limits_in_one_round_trip(api_client, shared_redis, rates):
    rates(login_ip="100/min", login_account="100/min")
    assert api_client.get(FEED).status_code == 200  # Redis learns the script
    before = script_calls(shared_redis)

    answer = api_client.post(
        "/api/v1/auth/login/", {"username": "nobody", "password": "wrong"}, format="json"
    )

    assert answer.status_code == 401, answer.content
    assert script_calls(shared_redis) - before == 1
    assert counted(shared_redis) == {"anon": 1, "user": 1, "login_ip": 1, "login_account": 1}


def test_a_login_whose_body_cannot_be_parsed_is_still_counted_by_its_address(
    api_client, shared_redis, rates
):
    rates(login_ip="2/min", login_account="100/min")
    broken = [
        api_client.post("/api/v1/auth/login/", "{", content_type="application/json")
        for _ in range(2)
    ]

    answer = api_client.post(
        "/api/v1/auth/login/", {"username": "nobody", "password": "wrong"}, format="json"
    )

    assert [b.status_code for b in broken] == [400, 400]
    assert "detail" in broken[0].json()
    assert answer.status_code == 429
