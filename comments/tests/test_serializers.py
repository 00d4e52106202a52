"""Comments are shown from rows exactly as CommentSerializer shows a comment: COMMENT_ROWS,
derived from the serializer, selects its columns and renders them."""

from datetime import UTC, datetime

import pytest

from comments.models import Comment
from comments.serializers import COMMENT_ROWS, CommentSerializer
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_rows_read_like_comments_serialized_one_by_one(api_client):
    comments = [
        CommentFactory(created_at=datetime(2025, 1, 31, 12, 0, tzinfo=UTC)),
        CommentFactory(created_at=datetime(2025, 1, 31, 12, 0, 0, 123456, tzinfo=UTC)),
        CommentFactory(content="Ünïcödé, with a line\nbreak"),
    ]
    reading = Comment.objects.select_related("author").order_by("id")

    by_row = [COMMENT_ROWS.render(row) for row in reading.values(*COMMENT_ROWS.columns)]
    by_field = [CommentSerializer(comment).data for comment in reading]

    assert [comment["id"] for comment in by_row] == [comment.id for comment in comments]
    assert by_row == by_field
    assert by_row[0]["created_at"] == "2025-01-31T12:00:00Z"
    assert by_row[1]["updated_at"] == "2025-01-31T12:00:00.123456Z"
    for comment in comments:
        assert (
            api_client.get(f"/api/v1/comments/{comment.id}/").json()
            == CommentSerializer(comment).data
        )
