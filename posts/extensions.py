"""What other apps add to a post as every endpoint shows it, declared here, never named.

An app above posts (votes: whether the caller likes the post) registers a `PostField` from its
AppConfig.ready(): the field joins PostSerializer (the JSON, the schema, the rows' columns),
and its `annotate` adds, for the reader, the column it reads to every query of posts to show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from rest_framework import serializers

from accounts.models import User
from posts.models import Post

# Whom a post is read for: a signed-in user (request.user) or an anonymous one.
Reader = User | AnonymousUser


@dataclass(frozen=True)
class PostField:
    """A read-only field another app adds to a post: `field` is shown under `name`, from the
    column (an annotation named `name`) that `annotate(posts, reader)` adds."""

    name: str
    field: serializers.Field[Any, Any, Any, Any]
    annotate: Callable[[QuerySet[Post], Reader], QuerySet[Post]]


_added: dict[str, PostField] = {}


def add_post_field(extra: PostField) -> None:
    """Register `extra`; once per name (an app's ready() may run again in tests)."""
    if not extra.field.read_only:
        raise ValueError(f"{extra.name}: a field added to a post is read-only.")
    _added[extra.name] = extra


def added_post_fields() -> tuple[PostField, ...]:
    return tuple(_added.values())
