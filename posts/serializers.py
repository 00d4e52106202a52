from rest_framework import serializers

from accounts.models import User
from core.fields import StrictModelSerializer
from posts.models import Post


class PostOwnerSerializer(StrictModelSerializer):
    """The author of a post: id and public handle."""

    class Meta:
        model = User
        fields = ["id", "username"]
        read_only_fields = fields


class PostSerializer(StrictModelSerializer):
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
        extra_kwargs = {
            "votes": {"help_text": "The number of likes."},
            "published": {"help_text": "False for a draft, which only its owner sees."},
        }
