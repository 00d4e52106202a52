from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from core.fields import StrictIntegerField


@extend_schema_serializer(
    examples=[OpenApiExample("Like post 1", value={"post_id": 1, "dir": 1}, request_only=True)]
)
class VoteSerializer(serializers.Serializer):
    """Like a post (`dir` 1) or take the like back (`dir` 0)."""

    post_id = StrictIntegerField(help_text="The post to like or unlike.")
    dir = StrictIntegerField(
        min_value=0, max_value=1, help_text="1 likes the post, 0 takes the like back."
    )


class VoteResultSerializer(serializers.Serializer):
    """The post's like count and whether the caller likes it, after the vote."""

    post_id = serializers.IntegerField()
    votes = serializers.IntegerField(help_text="The post's number of likes, now.")
    voted = serializers.BooleanField(help_text="Whether you like it, now.")
