"""The signed-in feed puts the caller's never-published drafts before everything (docs/API.md),
and reads them apart from the rest: other users' drafts, which no page shows, cost it nothing."""

import json

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from posts import selectors
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture(params=["sliced", "deferred join"])
def page_reading(request, monkeypatch):
    if request.param == "deferred join":
        monkeypatch.setattr(selectors, "DEFERRED_JOIN_MIN_OFFSET", 0)


@pytest.mark.usefixtures("page_reading")
def test_every_page_puts_the_callers_never_published_drafts_first(user, auth_client):
    published = PostFactory.create_batch(5)
    mine = PostFactory.create_batch(2, owner=user)
    drafts = DraftFactory.create_batch(3, owner=user)
    # Published once, then taken back: it keeps its place in time, as docs/API.md says.
    unpublished = mine[0]
    unpublished.published = False
    unpublished.save()
    DraftFactory.create_batch(2)
    timeline = sorted([*published, *mine], key=lambda p: (p.published_at, p.id), reverse=True)
    expected = [*sorted((d.id for d in drafts), reverse=True), *(p.id for p in timeline)]

    for ordering in ({}, {"ordering": "-published_at"}, {"ordering": "-published_at,votes"}):
        for offset in range(len(expected) + 1):
            page = auth_client.get(POSTS, {"limit": 3, "offset": offset, **ordering}).json()

            assert [post["id"] for post in page["results"]] == expected[offset : offset + 3]
            assert page["count"] == len(expected)


def test_a_published_post_without_published_at_is_refused_by_the_database():
    post = PostFactory()

    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(published_at=None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans (EXPLAIN)")
def test_other_users_drafts_are_not_read_for_the_first_page(user, auth_client):
    """Never-published drafts sort first, so they head the feed's index: a scan of it for
    `published OR owner = me` went through every other user's draft before the first post."""
    DraftFactory(owner=user)
    others = DraftFactory().owner
    # As many posts as make the planner read the feed's index in order (5% drafts, as in the
    # bench's data), written by one statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO posts_post (title, content, published, created_at, updated_at, "
            "published_at, votes, comments_count, owner_id) "
            "SELECT 'Post ' || n, 'C', n %% 20 <> 0, now(), now(), "
            "CASE WHEN n %% 20 <> 0 THEN now() - n * interval '1 minute' END, 0, 0, %s "
            "FROM generate_series(1, 40000) AS n",
            [others.pk],
        )
        cursor.execute("ANALYZE posts_post")

    with CaptureQueriesContext(connection) as queries:
        assert auth_client.get(POSTS, {"limit": 10}).status_code == 200

    (page,) = [q["sql"] for q in queries if "posts_post" in q["sql"] and "LIMIT 10" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {page}")
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert posts_read(plan[0]["Plan"]) <= 50


def posts_read(node: dict) -> int:
    """Rows of posts_post the plan's scans read: those they returned and those they dropped."""
    read = 0
    if node.get("Relation Name") == "posts_post":
        read += (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
    return read + sum(posts_read(child) for child in node.get("Plans", []))
