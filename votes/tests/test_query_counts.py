"""Liking and unliking cost a fixed, small number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.tests.factories import PostFactory
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

VOTES = "/api/v1/votes/"
# Looking up the user behind a bearer token.
AUTHENTICATION = 1
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries_of(client, payload):
    """The statements a vote request runs, leaving out transaction control."""
    with CaptureQueriesContext(connection) as captured:
        client.post(VOTES, payload, format="json")
    return [q["sql"] for q in captured if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_like_is_four_queries(auth_client):
    post = PostFactory()
    VoteFactory.create_batch(3, post=post)

    # The post, locked; the new like; the counter.
    assert len(queries_of(auth_client, {"post_id": post.id, "dir": 1})) == AUTHENTICATION + 3


def test_unlike_is_four_queries(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    # The post, locked; the like, deleted; the counter.
    assert len(queries_of(auth_client, {"post_id": post.id, "dir": 0})) == AUTHENTICATION + 3


def test_refused_like_is_three_queries(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    assert len(queries_of(auth_client, {"post_id": post.id, "dir": 1})) == AUTHENTICATION + 2
