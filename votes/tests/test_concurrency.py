"""The same like sent many times at once counts once: one 201, the rest 409, never a 500.

Real threads with their own database connections, so these tests commit for real.
"""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from conftest import client_for
from posts.tests.factories import PostFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db(transaction=True)

VOTES = "/api/v1/votes/"
BURST = 30


def send_at_once(clients, payload):
    """POST `payload` from every client at the same moment; the status codes, in any order."""
    barrier = threading.Barrier(len(clients))
    statuses = []

    def send(client):
        try:
            barrier.wait()
            statuses.append(client.post(VOTES, payload, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_the_same_like_thirty_times_at_once_counts_once():
    user, post = UserFactory(), PostFactory()
    clients = [client_for(user) for _ in range(BURST)]

    statuses = send_at_once(clients, {"post_id": post.id, "dir": 1})

    assert sorted(statuses) == [201] + [409] * (BURST - 1)
    post.refresh_from_db()
    assert post.votes == 1
    assert Vote.objects.filter(post=post).count() == 1


def test_the_same_unlike_thirty_times_at_once_counts_once():
    user, post = UserFactory(), PostFactory()
    client_for(user).post(VOTES, {"post_id": post.id, "dir": 1}, format="json")
    clients = [client_for(user) for _ in range(BURST)]

    statuses = send_at_once(clients, {"post_id": post.id, "dir": 0})

    assert sorted(statuses) == [200] + [404] * (BURST - 1)
    post.refresh_from_db()
    assert post.votes == 0
    assert not Vote.objects.exists()


def test_thirty_users_liking_at_once_are_all_counted():
    post = PostFactory()
    clients = [client_for(UserFactory()) for _ in range(BURST)]

    statuses = send_at_once(clients, {"post_id": post.id, "dir": 1})

    assert statuses == [201] * BURST
    post.refresh_from_db()
    assert post.votes == BURST == Vote.objects.filter(post=post).count()
