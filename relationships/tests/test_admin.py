"""Follows and blocks in the Django admin: listed and searched by handle, deleted with every
follow count kept exact, never added or changed there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from conftest import client_for
from relationships import services
from relationships.models import Block, Follow
from relationships.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

FOLLOWS = "/admin/relationships/follow/"
BLOCKS = "/admin/relationships/block/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def counts(*users):
    """Each user's (followers_count, following_count), as stored."""
    stored = User.objects.in_bulk([user.pk for user in users])
    return [(stored[u.pk].followers_count, stored[u.pk].following_count) for u in users]


@pytest.mark.parametrize(("url", "factory"), [(FOLLOWS, FollowFactory), (BLOCKS, BlockFactory)])
def test_lists_run_no_query_per_row(admin_client, url, factory):
    factory.create_batch(2)
    few = queries_for(admin_client, url)
    factory.create_batch(20)

    assert queries_for(admin_client, url) == few


def test_follows_are_listed_with_both_handles(admin_client):
    FollowFactory(
        follower=UserFactory(username="ada_follows"), followee=UserFactory(username="grace_led")
    )

    page = admin_client.get(FOLLOWS).content.decode()

    assert "ada_follows" in page
    assert "grace_led" in page
    for column in ["column-follower", "column-followee", "column-created_at"]:
        assert column in page


@pytest.mark.parametrize(
    ("url", "factory", "sides"),
    [
        (FOLLOWS, FollowFactory, ("follower", "followee")),
        (BLOCKS, BlockFactory, ("blocker", "blocked")),
    ],
)
@pytest.mark.parametrize("side", [0, 1])
def test_searched_by_the_handle_of_either_user(admin_client, url, factory, sides, side):
    named = {sides[side]: UserFactory(username="findable_handle")}
    factory(**named)
    factory()

    listed = admin_client.get(url, {"q": "findable"}).context["cl"].result_list

    assert [getattr(row, f"{sides[side]}_id") for row in listed] == [named[sides[side]].pk]


@pytest.mark.parametrize(("url", "factory"), [(FOLLOWS, FollowFactory), (BLOCKS, BlockFactory)])
def test_never_added_or_changed_in_the_admin(admin_client, url, factory):
    row = factory()

    assert admin_client.get(f"{url}add/").status_code == 403
    assert admin_client.post(f"{url}add/", {}).status_code == 403
    view = admin_client.get(f"{url}{row.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    # Shown, and read-only like every field.
    assert "Created at" in view.content.decode()
    assert not view.context["adminform"].form.fields
    assert admin_client.post(f"{url}{row.pk}/change/", {}).status_code == 403


def test_deleting_a_follow_lowers_both_counts(admin_client):
    ada, grace = UserFactory.create_batch(2)
    follow = FollowFactory(follower=ada, followee=grace)
    FollowFactory(follower=grace, followee=ada)

    response = admin_client.post(f"{FOLLOWS}{follow.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert counts(ada, grace) == [(1, 0), (0, 1)]


def test_bulk_deleting_follows_keeps_every_count_exact(admin_client):
    ada, grace, linus = UserFactory.create_batch(3)
    chosen = [
        FollowFactory(follower=ada, followee=grace),
        FollowFactory(follower=linus, followee=grace),
        FollowFactory(follower=ada, followee=linus),
    ]
    FollowFactory(follower=grace, followee=ada)

    response = admin_client.post(
        FOLLOWS,
        {"action": "delete_selected", "_selected_action": [f.pk for f in chosen], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(Follow.objects.values_list("follower", "followee")) == [(grace.pk, ada.pk)]
    assert counts(ada, grace, linus) == [(1, 0), (0, 1), (0, 0)]


def test_a_follow_ended_meanwhile_is_not_counted_twice(user, other_user):
    follow = FollowFactory(follower=user, followee=other_user)
    chosen = Follow.objects.filter(pk=follow.pk)
    services.unfollow(user=user, followee_id=other_user.pk)

    assert services.follows_delete(follows=chosen) == 0
    assert counts(user, other_user) == [(0, 0), (0, 0)]


def test_deleting_a_block_unblocks_and_changes_nothing_else(admin_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)
    block = BlockFactory(blocker=other_user, blocked=UserFactory())
    mine = BlockFactory(blocker=user, blocked=UserFactory())

    response = admin_client.post(f"{BLOCKS}{block.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert list(Block.objects.all()) == [mine]
    assert counts(user, other_user) == [(0, 1), (1, 0)]
    follow_back = client_for(block.blocked).post(f"/api/v1/users/{other_user.pk}/follow/")
    assert follow_back.status_code == 201


def test_deleting_a_user_in_the_admin_keeps_other_users_counts(admin_client):
    leaving, ada, grace = UserFactory.create_batch(3)
    FollowFactory(follower=leaving, followee=ada)
    FollowFactory(follower=grace, followee=leaving)
    FollowFactory(follower=grace, followee=ada)

    admin_client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}, follow=True
    )

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert counts(ada, grace) == [(1, 0), (0, 1)]


def test_the_admin_lists_follows_and_blocks(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert FOLLOWS in page
    assert BLOCKS in page
