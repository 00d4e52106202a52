import re

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

USERNAME_PATTERN = r"^[A-Za-z0-9_.]{3,30}$"
_DERIVED_MAX = 26


def username_base_from_email(email):
    """The handle an email suggests: its local part, lower-cased, allowed characters only."""
    base = re.sub(r"[^a-z0-9_.]", "", email.split("@", 1)[0].lower())[:_DERIVED_MAX]
    return base if len(base) >= 3 else "user"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=email.strip().lower())

    def with_identifier(self, identifier):
        """Users whose email or handle is `identifier`, case-insensitively (index-served)."""
        identifier = identifier.strip().lower()
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
        email = email.strip().lower()
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

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-case.")
    username = models.CharField(
        max_length=30,
        validators=[
            RegexValidator(
                USERNAME_PATTERN,
                "Use 3 to 30 characters: letters, digits, underscore or dot.",
            )
        ],
        help_text="Public handle: 3 to 30 letters, digits, underscores or dots.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

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
        self.email = self.email.strip().lower()
