"""API6:2023 Unrestricted Access to Sensitive Business Flows.

Agora's flows worth automating against it are creating accounts in bulk, posting spam and
inflating like counts. Likes cannot be inflated: one per user and post, even under a burst of
identical requests (votes/tests/test_votes.py, votes/tests/test_concurrency.py,
security/tests/test_races.py). Login guessing is throttled (accounts/tests/test_throttling.py).
This module checks that sign-ups and posts are throttled, and that the throttles cannot be
dodged.
"""

import pytest

from accounts.models import User
from accounts.services import token_pair_for
from posts.models import Post

pytestmark = pytest.mark.django_db


def sign_up(client, n, **extra):
    body = {"email": f"bulk{n}@example.com", "password": "a-long-passphrase"}
    return client.post("/api/v1/users/", body, format="json", **extra)


def test_bulk_sign_ups_from_one_address_are_throttled(api_client, rates):
    rates(anon="3/min")

    statuses = [sign_up(api_client, n).status_code for n in range(4)]

    assert statuses == [201, 201, 201, 429]
    assert User.objects.count() == 3


def test_a_forged_forwarded_for_does_not_reset_the_sign_up_throttle(api_client, rates):
    rates(anon="2/min")

    statuses = [
        sign_up(api_client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]

    assert statuses == [201, 201, 429]


def test_posting_is_throttled_per_user_across_their_tokens(user, rates, api_client):
    """A fresh token per request does not help: the rate counts the user, not the token."""
    rates(user="3/min")
    statuses = []
    for n in range(4):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['access_token']}")
        body = {"title": f"spam {n}", "content": "buy now"}
        statuses.append(api_client.post("/api/v1/posts/", body, format="json").status_code)

    assert statuses == [201, 201, 201, 429]
    assert Post.objects.count() == 3
