"""Moderation in the Django admin: posts to search, publish and unpublish; likes, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from votes.models import Vote
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

POSTS = "/admin/posts/post/"
VOTES = "/admin/votes/vote/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_post_list_shows_the_moderation_columns(admin_client):
    post = PostFactory(title="Moderate me")
    VoteFactory(post=post)

    page = admin_client.get(POSTS).content.decode()

    assert "Moderate me" in page
    assert post.owner.username in page
    for column in ["column-title", "column-owner", "column-published", "column-votes"]:
        assert column in page


@pytest.mark.parametrize("url", [POSTS, VOTES])
def test_lists_run_no_query_per_row(admin_client, url):
    VoteFactory.create_batch(2)
    few = queries_for(admin_client, url)
    VoteFactory.create_batch(20)

    assert queries_for(admin_client, url) == few


@pytest.mark.parametrize("term", ["needle", "ada_the_author", "ada@example.com"])
def test_posts_are_searched_by_title_and_by_owner(admin_client, term):
    ada = UserFactory(username="ada_the_author", email="ada@example.com")
    PostFactory(owner=ada, title="A needle in a haystack")
    PostFactory(title="Something else")

    page = admin_client.get(POSTS, {"q": term}).content.decode()

    assert "A needle in a haystack" in page
    assert "Something else" not in page


def test_posts_are_filtered_by_published(admin_client):
    PostFactory(title="Out there")
    DraftFactory(title="Not yet")

    page = admin_client.get(POSTS, {"published__exact": "0"}).content.decode()

    assert "Not yet" in page
    assert "Out there" not in page


@pytest.mark.parametrize(("action", "published"), [("publish", True), ("unpublish", False)])
def test_publish_and_unpublish_actions(admin_client, action, published):
    posts = [PostFactory(published=not published), DraftFactory(published=not published)]

    response = admin_client.post(
        POSTS, {"action": action, "_selected_action": [post.pk for post in posts]}
    )

    assert response.status_code == 302
    assert set(Post.objects.values_list("published", flat=True)) == {published}


def test_editing_a_post_keeps_its_like_count(admin_client):
    post = PostFactory()
    VoteFactory.create_batch(2, post=post)

    response = admin_client.post(
        f"{POSTS}{post.pk}/change/",
        {"title": "Edited", "content": "Body", "published": "on", "owner": post.owner_id},
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.votes) == ("Edited", 2)


def test_likes_are_read_only(admin_client):
    vote = VoteFactory()

    assert admin_client.get(VOTES).status_code == 200
    assert admin_client.get(f"{VOTES}add/").status_code == 403
    assert admin_client.get(f"{VOTES}{vote.pk}/delete/").status_code == 403
    change = admin_client.get(f"{VOTES}{vote.pk}/change/").content.decode()
    assert 'name="_save"' not in change


def test_likes_are_searched_by_user_and_post(admin_client):
    VoteFactory(user=UserFactory(username="liker_one"), post=PostFactory(title="Liked post"))
    VoteFactory(post=PostFactory(title="Other post"))

    page = admin_client.get(VOTES, {"q": "liker_one"}).content.decode()

    assert "Liked post" in page
    assert "Other post" not in page


def test_admin_needs_staff(client, user):
    client.force_login(user)

    assert client.get(POSTS).status_code == 302


def test_deleting_a_liked_post_takes_its_likes_with_it(admin_client):
    post = PostFactory()
    VoteFactory.create_batch(2, post=post)
    kept = VoteFactory()

    response = admin_client.post(f"{POSTS}{post.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert list(Vote.objects.all()) == [kept]


def test_bulk_deleting_liked_posts(admin_client):
    posts = PostFactory.create_batch(2)
    for post in posts:
        VoteFactory(post=post)

    response = admin_client.post(
        POSTS,
        {"action": "delete_selected", "_selected_action": [p.pk for p in posts], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Post.objects.exists()
    assert not Vote.objects.exists()
