"""The database itself refuses a second like by the same user."""

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db


def test_a_second_like_by_the_same_user_is_refused_by_the_database():
    user, post = UserFactory(), PostFactory()
    Vote.objects.create(user=user, post=post)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=user, post=post)
