from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from comments.models import Comment
from core.fields import StrictModelSerializer
from core.rows import RowShape
from posts.serializers import FieldsBuiltOnceMixin, PostOwnerSerializer


class CommentAuthorSerializer(PostOwnerSerializer):
    """The author of a comment: id and public handle."""


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A comment",
            value={"content": "Lovely: the engine weaves algebra as the loom weaves flowers."},
            request_only=True,
        ),
    ]
)
class CommentSerializer(FieldsBuiltOnceMixin, StrictModelSerializer):
    """A comment as every endpoint shows it, and what a client may write of it: its content.
    The one declaration of its read shape (COMMENT_ROWS derives the columns and the rendering
    of rows from it)."""

    post_id = serializers.IntegerField(read_only=True, help_text="The post it is on.")
    author = CommentAuthorSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "post_id", "content", "created_at", "updated_at", "author"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "updated_at": {"help_text": "Equal to created_at until the comment is edited."},
        }


# One comment as an answer shows it (the answers with one comment carry it; a page's example would
# be wrapped in DRF's own example links).
ANSWER_EXAMPLE = OpenApiExample(
    "A comment",
    value={
        "id": 7,
        "post_id": 1,
        "content": "Lovely: the engine weaves algebra as the loom weaves flowers.",
        "created_at": "2025-01-31T12:00:00.123456Z",
        "updated_at": "2025-01-31T12:04:10.500000Z",
        "author": {"id": 2, "username": "grace"},
    },
    response_only=True,
)

# A comment's read shape as the columns of a `values()` row and their rendering.
COMMENT_ROWS = RowShape(CommentSerializer)
