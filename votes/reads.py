"""What likes add to a post as every endpoint shows it: `voted`, whether the caller likes it
(registered with posts.extensions in VotesConfig.ready)."""

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value
from rest_framework import serializers

from posts.extensions import PostField, Reader
from posts.models import Post
from votes.models import Vote


def with_voted(posts: QuerySet[Post], reader: Reader) -> QuerySet[Post]:
    """`posts` with `voted`: whether `reader` likes each (always false when anonymous)."""
    if not reader.is_authenticated:
        return posts.annotate(voted=Value(False, output_field=BooleanField()))
    return posts.annotate(voted=Exists(Vote.objects.filter(post=OuterRef("pk"), user=reader)))


VOTED = PostField(
    name="voted",
    field=serializers.BooleanField(read_only=True, help_text="Whether the caller likes it."),
    annotate=with_voted,
)
