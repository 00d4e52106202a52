"""The database itself refuses what the API refuses: blank or overlong posts, negative counts,
a second like by the same user."""

import pytest
from django.db import DataError, IntegrityError, transaction

from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 256},
        {"content": ""},
        {"content": "x" * 20_001},
        {"votes": -1},
    ],
)
def test_invalid_rows_are_refused_by_the_database(fields):
    post = PostFactory()

    # PostgreSQL refuses an overlong title by its column type, SQLite by the check constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(**fields)
