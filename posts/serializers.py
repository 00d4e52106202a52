import copy

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer

from accounts.models import User
from core.fields import StrictModelSerializer
from core.rows import RowShape
from posts.extensions import added_post_fields
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
            built = {**super().get_fields(), **self.extra_fields()}
            cls._built_fields = built
        return copy.deepcopy(built)

    def extra_fields(self):
        """Fields beyond the declared ones, built with them once."""
        return {}


class PostOwnerSerializer(FieldsBuiltOnceMixin, StrictModelSerializer):
    """The author of a post: id and public handle."""

    class Meta:
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


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
    """A post as every endpoint shows it, and what a client may write of it: its title, its
    content and whether it is published."""

    # The one declaration of a post's read shape: POST_ROWS derives the columns and the
    # rendering of rows from it; other apps add read-only fields (posts.extensions). The
    # docstring above is the schema's description.

    owner = PostOwnerSerializer(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "content",
            "published",
            "created_at",
            "updated_at",
            "published_at",
            "owner",
            "votes",
            "comments_count",
        ]
        read_only_fields = [
            "id",
            "created_at",
            "updated_at",
            "published_at",
            "votes",
            "comments_count",
        ]
        extra_kwargs = {
            "votes": {"help_text": "The number of likes."},
            "comments_count": {"help_text": "The number of its comments, hidden ones aside."},
            "published_at": {
                "help_text": "When first published; null for a draft never published."
            },
            "published": {"help_text": "False for a draft, which only its owner sees."},
        }

    def extra_fields(self):
        return added_post_fields.serializer_fields()


# A post's read shape as the columns of a `values()` row and their rendering.
POST_ROWS = RowShape(PostSerializer)
