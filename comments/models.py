from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

COMMENT_MAX_LENGTH = 2_000


class Comment(models.Model):
    """A comment on a post; Post.comments_count counts those that are not hidden."""

    # The (post, id) index below leads with post, so the FK needs no index of its own.
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    content = models.TextField(max_length=COMMENT_MAX_LENGTH)
    # Hidden by a moderator: out of every answer and of the post's count. Changed only through
    # comments.services, which moves the count with it.
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Equal to created_at until the comment is edited (set by save(), as Post's is).
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # A post's comments, oldest first (and the FK's own lookups).
            models.Index(fields=["post", "id"], name="comments_post_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("content"), 1)
                & LessThanOrEqual(Length("content"), COMMENT_MAX_LENGTH),
                name="comments_comment_content_length",
            ),
        ]

    def __str__(self):
        return f"{self.author_id} on {self.post_id}: {self.content[:50]}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.updated_at = self.created_at
        else:
            self.updated_at = timezone.now()
            # An edit writes the content only: a full save would write back `hidden` (and the
            # post) as read earlier, over a moderator's change and the count that went with it.
            if kwargs.get("update_fields") is None:
                kwargs["update_fields"] = ["content", "updated_at"]
        super().save(*args, **kwargs)
