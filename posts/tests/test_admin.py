"""Moderation in the Django admin: posts to search, publish and unpublish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/admin/posts/post/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_post_list_shows_the_moderation_columns(admin_client):
    post = PostFactory(title="Moderate me", votes=1)

    page = admin_client.get(POSTS).content.decode()

    assert "Moderate me" in page
    assert post.owner.username in page
    for column in ["column-title", "column-owner", "column-published", "column-like_count"]:
        assert column in page


def test_likes_are_called_likes(admin_client):
    post = PostFactory(votes=3)

    listing = admin_client.get(POSTS).content.decode()
    change = admin_client.get(f"{POSTS}{post.pk}/change/").content.decode()

    for page in (listing, change):
        assert "Likes" in page
        assert "Votes" not in page
    assert ">3<" in change.replace("\n", "")


def test_posts_are_sorted_by_likes(admin_client):
    PostFactory(title="Liked little", votes=1)
    PostFactory(title="Liked most", votes=7)

    page = admin_client.get(POSTS, {"o": "-4"}).content.decode()

    assert page.index("Liked most") < page.index("Liked little")


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


def test_publishing_a_draft_in_the_admin_dates_it_and_keeps_an_earlier_date(admin_client):
    never, once = DraftFactory(), PostFactory()
    first_published = once.published_at
    once.published = False
    once.save()

    admin_client.post(POSTS, {"action": "publish", "_selected_action": [never.pk, once.pk]})

    never.refresh_from_db()
    once.refresh_from_db()
    assert never.published_at is not None
    assert never.published_at >= never.created_at
    assert once.published_at == first_published


def test_admin_needs_staff(client, user):
    client.force_login(user)

    assert client.get(POSTS).status_code == 302
