from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Follow(models.Model):
    """`follower` follows `followee`: one row per pair; User.followers_count and
    following_count count them."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Its index also serves "whom does X follow" (the home feed, the following list).
            models.UniqueConstraint(
                fields=["follower", "followee"], name="relationships_follow_once"
            ),
            models.CheckConstraint(
                condition=~Q(follower=F("followee")), name="relationships_follow_not_self"
            ),
        ]
        indexes = [
            # A user's followers, newest first (and the FK's own lookups).
            models.Index(fields=["followee", "-id"], name="relationships_followers_idx"),
            # Whom a user follows, newest first.
            models.Index(fields=["follower", "-id"], name="relationships_following_idx"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows {self.followee_id}"


class Block(models.Model):
    """`blocker` blocks `blocked`: no follow, like or comment between the two while it stands."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="relationships_block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=F("blocked")), name="relationships_block_not_self"
            ),
        ]
        indexes = [
            # Who blocks a user (the other way round from the unique index), and its FK.
            models.Index(fields=["blocked", "blocker"], name="relationships_blocked_idx"),
            # The blocks a user made, newest first.
            models.Index(fields=["blocker", "-id"], name="relationships_blocks_idx"),
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"
