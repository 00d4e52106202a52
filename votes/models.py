from django.conf import settings
from django.db import models
from django.utils import timezone


class Vote(models.Model):
    """A like: one per user and post; Post.votes counts them."""

    # The (user, post) unique constraint's index serves lookups by user, so no FK index here.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    # Its lookups use the (post, id) index below.
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The admin says what users do, like; the API keeps the design's `votes` names.
        verbose_name = "like"
        verbose_name_plural = "likes"
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="votes_vote_one_per_user_post")
        ]
        indexes = [
            # A post's likes, newest first (who likes it), and the foreign key's own lookups.
            models.Index(fields=["post", "-id"], name="votes_post_newest_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} likes {self.post_id}"
