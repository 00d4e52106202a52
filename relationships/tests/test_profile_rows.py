"""A profile's row is shown exactly as PublicUserSerializer shows the user: PROFILE_ROWS,
derived from the serializer, selects its columns and renders them, for every reader."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import selectors
from accounts.serializers import PROFILE_ROWS, PublicUserSerializer
from accounts.tests.factories import UserFactory
from relationships.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_profile_row_reads_like_the_user_serialized(user, signed_in):
    them = UserFactory(
        display_name="Ünïcödé Lovelace",
        bio="Notes.",
        created_at=datetime(2025, 1, 31, 12, 0, 0, 123456, tzinfo=UTC),
    )
    FollowFactory(follower=user, followee=them)
    FollowFactory(follower=them, followee=user)
    reader = user if signed_in else AnonymousUser()

    by_hand = PROFILE_ROWS.render(selectors.profile(reader=reader, user_id=them.pk))
    by_handle = PROFILE_ROWS.render(selectors.profile(reader=reader, username=them.username))
    by_field = PublicUserSerializer(selectors.profiles_for(reader).get(pk=them.pk)).data

    assert by_hand == by_field == by_handle
    assert by_hand["following"] is signed_in
    assert by_hand["followed_by"] is signed_in
    assert by_hand["followers_count"] == 1
