"""A post's `votes` always equals the number of its likes, however a like comes or goes."""

import pytest

from conftest import client_for
from posts.models import Post
from posts.tests.factories import PostFactory
from votes.models import Vote
from votes.services import vote_cast, vote_withdraw
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

VOTES = "/api/v1/votes/"


def assert_counters_exact():
    for post in Post.objects.all():
        assert post.votes == Vote.objects.filter(post=post).count(), post


def test_counter_follows_likes_and_unlikes(user, other_user):
    post = PostFactory()

    assert vote_cast(user=user, post_id=post.id) == 1
    assert vote_cast(user=other_user, post_id=post.id) == 2
    assert vote_withdraw(user=user, post_id=post.id) == 1
    assert_counters_exact()


def test_a_refused_like_or_unlike_leaves_the_counter_alone(user, auth_client):
    post = PostFactory()
    VoteFactory(post=post, user=user)

    auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")
    client_for(PostFactory().owner).post(VOTES, {"post_id": post.id, "dir": 0}, format="json")

    post.refresh_from_db()
    assert post.votes == 1
    assert_counters_exact()


def test_deleting_a_post_deletes_its_likes_and_leaves_other_counters_alone(user, auth_client):
    doomed, other = PostFactory(owner=user), PostFactory()
    for _ in range(3):
        liker = VoteFactory(post=doomed).user
        VoteFactory(post=other, user=liker)

    assert auth_client.delete(f"/api/v1/posts/{doomed.id}/").status_code == 204

    assert not Vote.objects.filter(post_id=doomed.id).exists()
    other.refresh_from_db()
    assert other.votes == 3
    assert_counters_exact()


def test_deleting_an_account_takes_its_likes_off_other_posts(user, auth_client, other_user):
    liked = PostFactory.create_batch(3)
    for post in liked:
        VoteFactory(post=post, user=user)
        VoteFactory(post=post, user=other_user)
    own = PostFactory(owner=user)
    VoteFactory(post=own, user=other_user)

    assert auth_client.delete("/api/v1/users/me/").status_code == 204

    assert not Post.objects.filter(pk=own.pk).exists()
    assert not Vote.objects.filter(user_id=user.id).exists()
    assert [post.votes for post in Post.objects.filter(pk__in=[p.pk for p in liked])] == [1, 1, 1]
    assert_counters_exact()


def test_a_deleted_account_shows_in_no_counter_through_the_api(user, auth_client, api_client):
    post = PostFactory()
    auth_client.post(VOTES, {"post_id": post.id, "dir": 1}, format="json")

    auth_client.delete("/api/v1/users/me/")

    assert api_client.get(f"/api/v1/posts/{post.id}/").json()["votes"] == 0
