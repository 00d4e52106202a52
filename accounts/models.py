import re
import uuid
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.fields import is_text

USERNAME_PATTERN = r"^[A-Za-z0-9_.]{3,30}$"
USERNAME_MESSAGE = "Use 3 to 30 characters: letters, digits, underscore or dot."
EMAIL_MAX_LENGTH = 254
# What a login may name an account by: an email or a handle, so never longer than an email.
IDENTIFIER_MAX_LENGTH = EMAIL_MAX_LENGTH
_DERIVED_MAX = 26


def normalize_identifier(value):
    """An email or handle as Agora stores and compares it: trimmed, lower-case."""
    return value.strip().lower()


def submitted_identifier(data: Mapping):
    """The email or handle a login body names, or None when it names none that could exist."""
    value = data.get("username") or data.get("email")
    if not isinstance(value, str) or len(value) > IDENTIFIER_MAX_LENGTH or not is_text(value):
        return None
    return normalize_identifier(value) or None


def username_base_from_email(email):
    """The handle an email suggests: its local part, lower-cased, allowed characters only."""
    base = re.sub(r"[^a-z0-9_.]", "", email.split("@", 1)[0].lower())[:_DERIVED_MAX]
    return base if len(base) >= 3 else "user"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_identifier(email))

    def with_identifier(self, identifier):
        """Users whose email or handle is `identifier`, case-insensitively (index-served)."""
        identifier = normalize_identifier(identifier)
        return self.alias(username_lower=Lower("username")).filter(
            models.Q(email=identifier) | models.Q(username_lower=identifier)
        )

    def free_username(self, base):
        """The smallest of `base`, `base1`, `base2`, ... that no one holds (case-insensitively)."""
        taken = {
            name.lower()
            for name in self.filter(username__iregex=rf"^{re.escape(base)}[0-9]*$").values_list(
                "username", flat=True
            )
        }
        if base not in taken:
            return base
        suffix = 1
        while f"{base}{suffix}" in taken:
            suffix += 1
        return f"{base}{suffix}"

    def create_user(self, email, password=None, username=None, **extra):
        email = normalize_identifier(email)
        username = username or self.free_username(username_base_from_email(email))
        user = self.model(email=email, username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, username=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, username, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An Agora account: a private email to log in with and a public handle."""

    email = models.EmailField(
        max_length=EMAIL_MAX_LENGTH, unique=True, help_text="Stored lower-case."
    )
    username = models.CharField(
        max_length=30,
        validators=[RegexValidator(USERNAME_PATTERN, USERNAME_MESSAGE)],
        help_text="Public handle: 3 to 30 letters, digits, underscores or dots.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Every token carries the value it was issued under; bumping it (a password change, a
    # deactivation) revokes them all, without anything derived from the password in a token.
    token_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    class Meta:
        ordering = ["id"]
        # Email is unique as stored, and stored lower-case: together, unique case-insensitively.
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"
            ),
        ]

    def __str__(self):
        return self.username

    def clean(self):
        super().clean()
        self.email = normalize_identifier(self.email)

    def revoke_tokens(self):
        """Make every token issued so far invalid, for good (saved with the user)."""
        self.token_version += 1


class TokenFamily(models.Model):
    """The refresh tokens that descend, by rotation, from one login.

    A refresh token used a second time was copied by someone: the whole family is revoked, so
    that whichever of the thief and the user rotated first loses the session too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "token families"

    def __str__(self):
        return f"{self.user_id}: {self.id}"
