"""The feed's rows are shown exactly as PostSerializer shows a post: POST_ROWS, derived from
the serializer, selects its columns and renders them."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from posts import selectors
from posts.serializers import POST_ROWS, PostSerializer
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_a_page_of_rows_reads_like_posts_serialized_one_by_one(user):
    posts = [
        PostFactory(created_at=datetime(2025, 1, 31, 12, 0, tzinfo=UTC)),
        PostFactory(created_at=datetime(2025, 1, 31, 12, 0, 0, 123456, tzinfo=UTC)),
        DraftFactory(owner=user, title="Ünïcödé"),
    ]
    reading = selectors.posts_for_reading(user=user).order_by("id")

    rows = list(reading.values(*POST_ROWS.columns))
    by_hand = [POST_ROWS.render(row) for row in rows]
    by_field = [PostSerializer(post).data for post in reading]

    assert [post["id"] for post in by_hand] == [post.id for post in posts]
    assert by_hand == by_field


def test_one_post_reads_the_same_through_its_row(auth_client, user, api_client):
    post, mine = PostFactory(), DraftFactory(owner=user)

    for client, reader, shown in (
        (api_client, AnonymousUser(), post),
        (auth_client, user, post),
        (auth_client, user, mine),
    ):
        expected = PostSerializer(selectors.posts_for_reading(user=reader).get(pk=shown.pk)).data
        assert client.get(f"/api/v1/posts/{shown.id}/").json() == expected


def test_the_feed_shows_its_posts_as_they_serialize_one_by_one(api_client):
    """Through the API: on PostgreSQL the page's rows come from prepared SQL, with timestamps
    read by psycopg's compiled loader (core/db.py)."""
    posts = [
        PostFactory(created_at=datetime(2025, 1, 31, 12, 0, tzinfo=UTC)),
        PostFactory(created_at=datetime(2025, 1, 31, 12, 0, 0, 123456, tzinfo=UTC)),
        PostFactory(created_at=datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ]

    shown = api_client.get("/api/v1/posts/?ordering=created_at").json()["results"]

    reading = selectors.posts_for_reading(user=AnonymousUser()).order_by("created_at")
    assert [post["id"] for post in shown] == [posts[2].id, posts[0].id, posts[1].id]
    assert shown == [PostSerializer(post).data for post in reading]
    assert [post["created_at"] for post in shown] == [
        "1999-12-31T23:59:59.999999Z",
        "2025-01-31T12:00:00Z",
        "2025-01-31T12:00:00.123456Z",
    ]


def test_the_rows_select_a_column_per_field_and_what_other_apps_add():
    assert POST_ROWS.columns == (
        *("id", "title", "content", "published", "created_at", "updated_at", "published_at"),
        *("owner__id", "owner__username", "votes", "comments_count", "voted"),
    )
    assert list(PostSerializer().fields)[-1] == "voted"  # added by votes (posts.extensions)
