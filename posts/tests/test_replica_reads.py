"""Reads of the feed and of profiles from the replica, with read-your-writes (core.dbrouter).

Here rather than in core/tests: the router's contract is about the feed's and the profiles'
routes, which sit above core. The `replica` database here is the test database itself through a connection of its own
(config/test_settings.py), so each test sees which connection a query went through.
"""

import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from core.dbrouter import ReplicaRouter
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica_reads(settings):
    """The router on, as config/settings.py turns it on when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "core.dbrouter.ReplicaReadsMiddleware"]
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    return settings


class Reads:
    """The queries each database answered while the block ran, by the tables they read."""

    def __enter__(self):
        self.captures = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }
        for capture in self.captures.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.captures.values():
            capture.__exit__(*exc)

    def of(self, alias, table):
        return [query for query in self.captures[alias] if f'"{table}"' in query["sql"]]


def test_anonymous_feed_reads_from_the_replica(replica_reads, api_client):
    post = PostFactory()

    with Reads() as reads:
        response = api_client.get("/api/v1/posts/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [post.pk]
    assert reads.of("replica", "posts_post")
    assert reads.of("default", "posts_post") == []


def test_single_post_and_profile_read_from_the_replica(replica_reads, user, other_user):
    post = PostFactory(owner=other_user)
    client = client_for(user)

    with Reads() as reads:
        assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 200
        profile = client.get(f"/api/v1/users/{other_user.pk}/")

    assert profile.status_code == 200
    assert profile.json()["username"] == other_user.username
    assert reads.of("replica", "posts_post")
    assert reads.of("default", "posts_post") == []
    assert reads.of("replica", "accounts_user"), "the profile and the post's owner"


def test_authentication_reads_from_the_primary(replica_reads, user):
    with Reads() as reads:
        response = client_for(user).get("/api/v1/posts/")

    assert response.status_code == 200
    assert any("token_version" in query["sql"] for query in reads.of("default", "accounts_user"))
    assert not any(
        "token_version" in query["sql"] for query in reads.of("replica", "accounts_user")
    )


def test_a_writer_reads_the_feed_from_the_primary_after_writing(replica_reads, user, other_user):
    writer, bystander = client_for(user), client_for(other_user)

    created = writer.post("/api/v1/posts/", {"title": "Mine", "content": "Just written."})
    with Reads() as reads:
        feed = writer.get("/api/v1/posts/")

    assert created.status_code == 201
    assert [item["id"] for item in feed.json()["results"]] == [created.json()["id"]]
    assert reads.of("default", "posts_post")
    assert reads.of("replica", "posts_post") == []

    with Reads() as reads:
        assert bystander.get("/api/v1/posts/").status_code == 200
    assert reads.of("replica", "posts_post"), "another caller still reads from the replica"


def test_a_like_pins_its_writer_too(replica_reads, user):
    post = PostFactory()
    client = client_for(user)

    liked = client.post("/api/v1/votes/", {"post_id": post.pk, "dir": 1})
    with Reads() as reads:
        read = client.get(f"/api/v1/posts/{post.pk}/")

    assert liked.status_code == 201
    assert read.json()["votes"] == 1
    assert read.json()["voted"] is True
    assert reads.of("replica", "posts_post") == []


def test_the_pin_ends_after_its_seconds(replica_reads, user):
    replica_reads.DATABASE_REPLICA_PIN_SECONDS = 1
    client = client_for(user)

    assert client.post("/api/v1/posts/", {"title": "T", "content": "C"}).status_code == 201
    time.sleep(1.2)
    with Reads() as reads:
        assert client.get("/api/v1/posts/").status_code == 200

    assert reads.of("replica", "posts_post")
    assert reads.of("default", "posts_post") == []


def test_a_refused_write_by_an_anonymous_caller_pins_nobody(replica_reads, api_client):
    PostFactory()

    assert api_client.post("/api/v1/posts/", {"title": "T", "content": "C"}).status_code == 401
    with Reads() as reads:
        assert api_client.get("/api/v1/posts/").status_code == 200

    assert reads.of("replica", "posts_post")


def test_other_routes_and_writes_stay_on_the_primary(replica_reads, user):
    client = client_for(user)

    with Reads() as reads:
        assert client.get("/api/v1/users/me/").status_code == 200
        assert client.post("/api/v1/posts/", {"title": "T", "content": "C"}).status_code == 201

    assert reads.of("replica", "accounts_user") == []
    assert reads.of("replica", "posts_post") == []


def test_without_the_router_every_read_is_on_the_primary(api_client):
    PostFactory()

    with Reads() as reads:
        assert api_client.get("/api/v1/posts/").status_code == 200

    assert reads.of("default", "posts_post")
    assert reads.of("replica", "posts_post") == []


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "posts") is False
    assert ReplicaRouter().allow_migrate("default", "posts") is None
