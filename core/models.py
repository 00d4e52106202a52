from django.db import models


class IdempotencyKey(models.Model):
    """A create sent with an `Idempotency-Key` (core.idempotency): while it is answered, a row
    with no status; once it succeeded, its answer, replayed to the same key until
    `expires_at`."""

    # Whose key: "user:<id>", or for an anonymous caller "address:<digest>".
    caller = models.CharField(max_length=80)
    # Which route: the method and the route's name, e.g. "POST post-list".
    route = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    # A digest of the request's body, in one canonical form.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    location = models.CharField(max_length=2000, blank=True, default="")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "route", "key"], name="core_idempotency_key_once"
            )
        ]

    def __str__(self):
        return f"{self.caller} {self.route} {self.key}"
