"""Liking and unliking cost a fixed, small number of queries, and no transaction round trips
on PostgreSQL, where each is one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.tests.factories import PostFactory
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

VOTES = "/api/v1/votes/"
# Reading the state of the caller's tokens (the first request of a test, as of a process every
# few seconds).
AUTHENTICATION = 1
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# PostgreSQL: one statement locks the post, checks it is visible, writes or deletes the like
# and moves the counter. SQLite: the post, the like, the counter, each a statement.
STATEMENTS = 1 if connection.vendor == "postgresql" else 3


def queries_of(client, payload):
    """The statements a vote request runs, leaving out transaction control."""
    with CaptureQueriesContext(connection) as captured:
        client.post(VOTES, payload, format="json")
    return [q["sql"] for q in captured if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_a_like_is_a_fixed_number_of_statements(auth_client):
    post = PostFactory()
    VoteFactory.create_batch(3, post=post)

    assert (
        len(queries_of(auth_client, {"post_id": post.id, "dir": 1})) == AUTHENTICATION + STATEMENTS
    )


def test_an_unlike_is_a_fixed_number_of_statements(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    assert (
        len(queries_of(auth_client, {"post_id": post.id, "dir": 0})) == AUTHENTICATION + STATEMENTS
    )


def test_a_refused_like_is_no_more(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    refused = len(queries_of(auth_client, {"post_id": post.id, "dir": 1}))

    assert refused == AUTHENTICATION + (1 if connection.vendor == "postgresql" else 2)
