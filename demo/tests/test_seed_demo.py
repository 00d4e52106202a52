"""`manage.py seed_demo`: idempotent demo content, only for a debug or empty database."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.tests.factories import UserFactory
from comments.models import Comment
from demo.management.commands.seed_demo import ACCOUNTS
from posts.models import Post
from relationships.models import Block, Follow
from votes.models import Vote

pytestmark = pytest.mark.django_db


def seed_demo():
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loads_accounts_posts_drafts_likes_and_comments_and_prints_the_logins(settings):
    settings.DEBUG = True

    out, _err = seed_demo()

    assert User.objects.count() == len(ACCOUNTS)
    for handle, email, password, staff in ACCOUNTS:
        user = User.objects.get(username=handle)
        assert user.email == email
        assert user.check_password(password)
        assert (user.is_staff, user.is_superuser) == (staff, staff)
        assert email in out
        assert password in out
    assert Post.objects.filter(published=True).exists()
    assert Post.objects.filter(published=False).exists()
    assert Vote.objects.exists()
    assert Comment.objects.filter(hidden=False).exists()
    assert Comment.objects.filter(hidden=True).exists()
    for post in Post.objects.all():
        assert post.votes == Vote.objects.filter(post=post).count()
        assert post.comments_count == Comment.objects.filter(post=post, hidden=False).count()
    ada = User.objects.get(username="ada")
    assert ada.display_name == "Ada Lovelace"
    assert ada.following_count == Follow.objects.filter(follower=ada).count() == 2
    assert ada.followers_count == Follow.objects.filter(followee=ada).count() == 2
    assert Block.objects.exists()


def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed_demo()
    models = (User, Post, Vote, Comment, Follow, Block)
    counts = [model.objects.count() for model in models]
    comments_counts = list(Post.objects.order_by("pk").values_list("comments_count", flat=True))

    out, err = seed_demo()

    assert [model.objects.count() for model in models] == counts
    assert (
        list(Post.objects.order_by("pk").values_list("comments_count", flat=True))
        == comments_counts
    )
    assert "already loaded" in out
    assert err == ""


def test_refuses_a_non_debug_database_that_has_users(settings):
    settings.DEBUG = False
    UserFactory()

    out, err = seed_demo()

    assert "skipped" in err
    assert out == ""
    assert User.objects.count() == 1
    assert not Post.objects.exists()


def test_loads_an_empty_non_debug_database_without_staff_or_printed_passwords(settings):
    settings.DEBUG = False

    out, _err = seed_demo()

    assert User.objects.count() == len([account for account in ACCOUNTS if not account[3]])
    assert not User.objects.filter(is_staff=True).exists()
    assert all(password not in out for _handle, _email, password, _staff in ACCOUNTS)


def test_the_demo_feed_is_served(settings, api_client):
    settings.DEBUG = True
    seed_demo()

    body = api_client.get("/api/v1/posts/", {"search": "hello"}).json()

    assert body["count"] == 2
    engine = api_client.get("/api/v1/posts/", {"search": "analytical"}).json()["results"][0]
    comments = api_client.get(f"/api/v1/posts/{engine['id']}/comments/").json()["results"]
    assert engine["comments_count"] == len(comments) == 3
    assert [comment["author"]["username"] for comment in comments] == ["grace", "alan", "ada"]
