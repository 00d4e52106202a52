from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction


class Command(createsuperuser.Command):
    """Django's createsuperuser, with a handle taken in another letter case said plainly.

    Django checks only the login field (email) for duplicates; the handle's case-insensitive
    uniqueness is a database constraint, which would otherwise surface as a raw IntegrityError.
    """

    def handle(self, *args, **options):
        try:
            with transaction.atomic(using=options["database"]):
                return super().handle(*args, **options)
        except IntegrityError as exc:
            raise CommandError(
                "That username is already taken (handles are unique case-insensitively)."
            ) from exc
