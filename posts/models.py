from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from core.fields import CounterField, CountersKeptMixin

TITLE_MAX_LENGTH = 255
CONTENT_MAX_LENGTH = 20_000


class Post(CountersKeptMixin, models.Model):
    """A post by its owner; a draft (`published=False`) is visible to its owner only."""

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    content = models.TextField(max_length=CONTENT_MAX_LENGTH)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Equal to created_at until the post is edited (set by save(), not auto_now, whose clock
    # would tick between the two).
    updated_at = models.DateTimeField(default=timezone.now)
    # When the post was first published; a draft never published has none. The feeds sort by it.
    published_at = models.DateTimeField(null=True, blank=True)
    # The (owner, published_at) index below leads with owner, so the FK needs no index of its own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    # The number of likes, kept equal to the post's likes by the app that writes them, in the
    # same transaction as each like: cheap to show and to sort by, where COUNT over a join is not.
    votes = CounterField()
    # The number of its comments that are not hidden, kept by the comments app as votes is.
    comments_count = CounterField()

    class Meta:
        # Newest first; never-published drafts first of all, on every database (PostgreSQL puts
        # NULLs first when descending, SQLite last, unless told).
        ordering = [F("published_at").desc(nulls_first=True), "-id"]
        indexes = [
            # The anonymous feed: published posts, newest first.
            models.Index(
                fields=["published", "-published_at", "-id"], name="posts_published_feed_idx"
            ),
            # The signed-in feed (published OR mine). It carries the columns of `published OR
            # owner = me` (PostgreSQL): a deep page's ids are then read from the index alone, as
            # the anonymous feed's are from the one above.
            models.Index(
                fields=["-published_at", "-id"],
                include=["published", "owner"],
                name="posts_published_visible_idx",
            ),
            models.Index(fields=["-created_at", "-id"], name="posts_created_idx"),
            models.Index(fields=["-votes", "-id"], name="posts_votes_idx"),
            # A user's posts (the `owner` filter), and the home feed's posts of each followed user.
            models.Index(
                fields=["owner", "-published_at", "-id"], name="posts_owner_published_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("title"), 1)
                & LessThanOrEqual(Length("title"), TITLE_MAX_LENGTH),
                name="posts_post_title_length",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("content"), 1)
                & LessThanOrEqual(Length("content"), CONTENT_MAX_LENGTH),
                name="posts_post_content_length",
            ),
            # A published post has been published: the signed-in feed reads the caller's drafts
            # apart from the rest by this (posts.sql.own_drafts_first).
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_at__isnull=False),
                name="posts_post_published_has_published_at",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.updated_at = self.created_at
        else:
            self.updated_at = timezone.now()
        if self.published and self.published_at is None:
            self.published_at = self.updated_at
        super().save(*args, **kwargs)
