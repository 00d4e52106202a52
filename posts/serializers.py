import copy
from datetime import UTC

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.models import User
from core.fields import StrictModelSerializer
from posts.models import Post


class FieldsBuiltOnceMixin:
    """A ModelSerializer that introspects its model once per class, not once per request.

    ModelSerializer builds its fields from the model (kwargs, validators) for every serializer
    instance: about a fifth of a single post's time in the profile at 200,000 posts. Each
    instance now gets a deep copy of the fields built the first time; DRF copies a field by
    instantiating it again from its arguments, as it does for declared fields.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return copy.deepcopy(built)


class PostOwnerSerializer(FieldsBuiltOnceMixin, StrictModelSerializer):
    """The author of a post: id and public handle."""

    class Meta:
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


def _timestamp(value):
    """A datetime as DRF's DateTimeField writes it with USE_TZ and TIME_ZONE="UTC"."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def post_representation(row):
    """A row of selectors.POST_COLUMNS as PostSerializer shows a post, built by hand: DRF's
    field-by-field calls cost more than reading the post. posts/tests/test_serializers.py holds
    it to PostSerializer's output."""
    return {
        "id": row["id"],
        "title": row["title"],
        "content": row["content"],
        "published": row["published"],
        "created_at": _timestamp(row["created_at"]),
        "updated_at": _timestamp(row["updated_at"]),
        "owner": {"id": row["owner_id"], "username": row["owner__username"]},
        "votes": row["votes"],
        "voted": bool(row["voted"]),
    }


class PostRowsSerializer(serializers.ListSerializer):
    """The feed's page: rows of selectors.POST_COLUMNS (post_representation)."""

    def to_representation(self, data):
        return [post_representation(row) for row in data]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A post",
            value={
                "title": "Notes on the Analytical Engine",
                "content": "It might act upon other things besides number.",
                "published": True,
            },
            request_only=True,
        )
    ]
)
class PostSerializer(FieldsBuiltOnceMixin, StrictModelSerializer):
    """A post as every endpoint shows it; `owner`, `votes` and `voted` are never written."""

    owner = PostOwnerSerializer(read_only=True)
    voted = serializers.BooleanField(read_only=True, help_text="Whether the caller likes it.")

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "content",
            "published",
            "created_at",
            "updated_at",
            "owner",
            "votes",
            "voted",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "votes"]
        list_serializer_class = PostRowsSerializer
        extra_kwargs = {
            "votes": {"help_text": "The number of likes."},
            "published": {"help_text": "False for a draft, which only its owner sees."},
        }
