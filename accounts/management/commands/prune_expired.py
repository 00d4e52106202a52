"""`manage.py prune_expired`: delete what has expired for good, so that its tables stay bounded.

Each refresh writes a row for the new refresh token and a blacklist row for the spent one, and
each login a TokenFamily: without this, the three tables grow with every session ever opened.
Run it on a schedule: once an hour is plenty (`--every 3600` runs it for ever, as compose's
`pruner` service does; a cron job or a platform's scheduler can run it once instead).
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import TokenFamily
from core.models import IdempotencyKey


class Command(BaseCommand):
    help = (
        "Delete expired refresh tokens (with their blacklist rows), expired logins and expired "
        "idempotency keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, metavar="SECONDS", help="Run again every SECONDS, for ever."
        )
        parser.add_argument(
            "--rounds", type=int, metavar="N", help="With --every: stop after N runs."
        )

    def handle(self, *args, every=None, rounds=None, **options):
        done = 0
        while True:
            self.prune()
            done += 1
            if every is None or (rounds is not None and done >= rounds):
                return
            time.sleep(every)

    def prune(self):
        now = timezone.now()
        # Deleting an outstanding token deletes its blacklist row (a cascade).
        tokens, _ = OutstandingToken.objects.filter(expires_at__lt=now).delete()
        logins, _ = TokenFamily.objects.filter(expires_at__lt=now).delete()
        keys, _ = IdempotencyKey.objects.filter(expires_at__lt=now).delete()
        self.stdout.write(
            f"{now:%Y-%m-%dT%H:%M:%SZ} pruned {tokens} token rows, {logins} logins, "
            f"{keys} idempotency keys"
        )
