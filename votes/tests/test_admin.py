"""Likes in the Django admin: read-only, searchable, and taken along with the posts and users
they belong to, with every other post's like count kept exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory
from votes.models import Vote
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

POSTS = "/admin/posts/post/"
VOTES = "/admin/votes/vote/"
CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def admin_session(admin_client):
    return admin_client


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [POSTS, VOTES])
def test_lists_run_no_query_per_row(admin_client, url):
    VoteFactory.create_batch(2)
    few = queries_for(admin_client, url)
    VoteFactory.create_batch(20)

    assert queries_for(admin_client, url) == few


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


def test_the_admin_calls_likes_likes(admin_client):
    vote = VoteFactory()

    pages = [admin_client.get(url).content.decode() for url in ["/admin/", VOTES]]
    pages.append(admin_client.get(f"{VOTES}{vote.pk}/change/").content.decode())

    assert "Likes" in pages[0]
    assert "Select like to view" in pages[1]
    assert "View like" in pages[2]
    for page in pages:
        assert "Vote" not in page


def test_likes_are_searched_by_user_and_post(admin_client):
    VoteFactory(user=UserFactory(username="liker_one"), post=PostFactory(title="Liked post"))
    VoteFactory(post=PostFactory(title="Other post"))

    page = admin_client.get(VOTES, {"q": "liker_one"}).content.decode()

    assert "Liked post" in page
    assert "Other post" not in page


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


def test_change_page_counts_posts_and_likes(admin_session):
    author = UserFactory()
    first, second = PostFactory.create_batch(2, owner=author)
    DraftFactory(owner=author)
    VoteFactory(user=author, post=PostFactory())
    VoteFactory(post=first)
    VoteFactory(post=first)
    VoteFactory(post=second)

    response = admin_session.get(reverse("admin:accounts_user_change", args=[author.pk]))

    shown = {
        field.field["name"]: field.contents()
        for fieldset in response.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly
    }
    assert shown["posts_written"] == "3"
    assert shown["likes_given"] == "1"
    assert shown["likes_received"] == "3"


def test_deleting_a_user_in_the_admin_takes_back_their_likes(admin_session):
    liker = UserFactory()
    liked = PostFactory()
    VoteFactory(user=liker, post=liked)
    PostFactory(owner=liker)

    admin_session.post(
        reverse("admin:accounts_user_delete", args=[liker.pk]), {"post": "yes"}, follow=True
    )

    liked.refresh_from_db()
    assert liked.votes == 0
    assert not User.objects.filter(pk=liker.pk).exists()


def test_bulk_deleting_users_in_the_admin_keeps_like_counts_exact(admin_session):
    likers = UserFactory.create_batch(2)
    liked = PostFactory()
    for liker in likers:
        VoteFactory(user=liker, post=liked)
    VoteFactory(post=liked)

    admin_session.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [u.pk for u in likers], "post": "yes"},
    )

    liked.refresh_from_db()
    assert liked.votes == 1
    assert not User.objects.filter(pk__in=[u.pk for u in likers]).exists()
