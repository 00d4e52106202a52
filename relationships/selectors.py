"""The read side of follows and blocks: the flags a profile shows its caller, the lists, and
the questions other apps ask (may these two users interact; whose posts go in a home feed)."""

from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from rest_framework import serializers

from accounts.extensions import ProfileField, Reader
from accounts.models import User
from accounts.selectors import MAX_ID
from core.exceptions import NotFound
from relationships.models import Block, Follow

_FALSE = Value(False, output_field=BooleanField())


def block_between(user_id: int, other_id: int) -> bool:
    """Whether either of the two users blocks the other."""
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=user_id)
    ).exists()


def not_blocked(field: str, user_id: int) -> Q:
    """A filter on rows whose user is at `field`: no block between that user and `user_id`,
    either way."""
    return ~Q(
        **{f"{field}__in": Block.objects.filter(blocker_id=user_id).values("blocked_id")}
    ) & ~Q(**{f"{field}__in": Block.objects.filter(blocked_id=user_id).values("blocker_id")})


def followed_ids(user_id: int) -> "QuerySet[Follow, Any]":
    """The ids of the users `user_id` follows, as a subquery."""
    return Follow.objects.filter(follower_id=user_id).values("followee_id")


def with_following(users: QuerySet[User], reader: Reader) -> QuerySet[User]:
    if not reader.is_authenticated:
        return users.annotate(following=_FALSE)
    return users.annotate(
        following=Exists(Follow.objects.filter(follower_id=reader.pk, followee_id=OuterRef("pk")))
    )


def with_followed_by(users: QuerySet[User], reader: Reader) -> QuerySet[User]:
    if not reader.is_authenticated:
        return users.annotate(followed_by=_FALSE)
    return users.annotate(
        followed_by=Exists(Follow.objects.filter(follower_id=OuterRef("pk"), followee_id=reader.pk))
    )


def with_blocking(users: QuerySet[User], reader: Reader) -> QuerySet[User]:
    if not reader.is_authenticated:
        return users.annotate(blocking=_FALSE)
    return users.annotate(
        blocking=Exists(Block.objects.filter(blocker_id=reader.pk, blocked_id=OuterRef("pk")))
    )


def _active(user_id: int) -> None:
    if not 0 < user_id <= MAX_ID or not User.objects.filter(pk=user_id, is_active=True).exists():
        raise NotFound


def followers(user_id: int) -> QuerySet[Follow]:
    """The follows of the active user `user_id`, with their followers; NotFound otherwise."""
    _active(user_id)
    return Follow.objects.filter(followee_id=user_id).select_related("follower")


def following(user_id: int) -> QuerySet[Follow]:
    """The follows by the active user `user_id`, with the users followed; NotFound otherwise."""
    _active(user_id)
    return Follow.objects.filter(follower_id=user_id).select_related("followee")


def blocks(user_id: int) -> QuerySet[Block]:
    """The blocks made by `user_id`, with the users blocked."""
    return Block.objects.filter(blocker_id=user_id).select_related("blocked")


# What follows and blocks add to a profile (registered in RelationshipsConfig.ready).
PROFILE_FLAGS = (
    ProfileField(
        name="following",
        field=serializers.BooleanField(
            read_only=True, help_text="Whether the caller follows them."
        ),
        annotate=with_following,
    ),
    ProfileField(
        name="followed_by",
        field=serializers.BooleanField(read_only=True, help_text="Whether they follow the caller."),
        annotate=with_followed_by,
    ),
    ProfileField(
        name="blocking",
        field=serializers.BooleanField(read_only=True, help_text="Whether the caller blocks them."),
        annotate=with_blocking,
    ),
)
