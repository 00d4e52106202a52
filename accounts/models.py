import uuid
from collections.abc import Iterator, Mapping
from itertools import islice

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.identifiers import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    IDENTIFIER_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    USERNAME_MESSAGE,
    USERNAME_MIN_LENGTH,
    USERNAME_PATTERN,
    derived_handles,
    handle_skeleton,
    normalize_identifier,
    username_base_from_email,
)
from core.fields import CounterField, CountersKeptMixin, is_text

# How many derived handles are checked against the taken ones per query.
_DERIVED_BATCH = 200


def submitted_identifier(data: Mapping) -> str | None:
    """The email or handle a login body names, or None when it names none that could exist."""
    value = data.get("username") or data.get("email")
    if not isinstance(value, str) or len(value) > IDENTIFIER_MAX_LENGTH or not is_text(value):
        return None
    return normalize_identifier(value) or None


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

    def free_username(self, base: str) -> str:
        """The first of `base`, `base1`, `base2`, ... (identifiers.derived_handles) that nobody
        holds and that passes for nobody's handle."""
        candidates: Iterator[str] = derived_handles(base)
        while batch := list(islice(candidates, _DERIVED_BATCH)):
            skeletons = {handle_skeleton(handle): handle for handle in batch}
            taken = self.alias(username_lower=Lower("username")).filter(
                models.Q(handle_skeleton__in=skeletons) | models.Q(username_lower__in=batch)
            )
            seen: set[str | None] = set()
            for username, skeleton in taken.values_list("username", "handle_skeleton"):
                seen.update((username.lower(), skeletons.get(skeleton)))
            for handle in batch:
                if handle not in seen:
                    return handle
        raise AssertionError("derived_handles never ends")

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


class User(CountersKeptMixin, AbstractBaseUser, PermissionsMixin):
    """An Agora account: a private email to log in with and a public handle."""

    email = models.EmailField(
        max_length=EMAIL_MAX_LENGTH, unique=True, help_text="Stored lower-case."
    )
    username = models.CharField(
        max_length=USERNAME_MAX_LENGTH,
        validators=[
            MinLengthValidator(USERNAME_MIN_LENGTH),
            RegexValidator(rf"\A{USERNAME_PATTERN[1:-1]}\Z", USERNAME_MESSAGE),
        ],
        help_text="Public handle: 3 to 30 letters, digits, underscores or dots.",
    )
    # What the handle looks like (identifiers.handle_skeleton), kept with it on every save: a
    # handle that passes for another one is refused by the database, not only by the API.
    handle_skeleton = models.CharField(
        max_length=2 * USERNAME_MAX_LENGTH, db_default="", editable=False
    )
    display_name = models.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH, blank=True, default="", db_default=""
    )
    bio = models.TextField(max_length=BIO_MAX_LENGTH, blank=True, default="", db_default="")
    # How many users follow this one, and how many this one follows: kept by the relationships
    # app with each follow, in its transaction (a CountersKeptMixin save never writes them).
    followers_count = CounterField()
    following_count = CounterField()
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
        # Deactivating and reactivating users in the admin, without editing them (moderators).
        permissions = [("moderate_user", "Can deactivate and reactivate users")]
        # Email is unique as stored, and stored lower-case: together, unique case-insensitively.
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(
                fields=["handle_skeleton"],
                condition=~models.Q(handle_skeleton=""),
                name="accounts_user_handle_skeleton_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"
            ),
        ]

    def __str__(self):
        return self.username

    def clean(self):
        super().clean()
        self.email = normalize_identifier(self.email)

    def save(self, *args, **kwargs):
        """Saved with the handle's skeleton; a change of `is_active` (the admin's checkbox, say)
        moves `token_version` on, as every change of the tokens' state must
        (accounts.revocation)."""
        also = set()
        if "username" not in self.get_deferred_fields():
            self.handle_skeleton = handle_skeleton(self.username)
            also.add("handle_skeleton")
        stored = getattr(self, "_stored_is_active", None)
        if not self._state.adding and stored is not None and stored != self.is_active:
            self.revoke_tokens()
            also.add("token_version")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *also}
        super().save(*args, **kwargs)
        self._stored_is_active = self.is_active

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_is_active = user.__dict__.get("is_active")
        return user

    def revoke_tokens(self):
        """Make every token issued so far invalid, for good (saved with the user)."""
        self.token_version += 1


class FieldNotLoaded(RuntimeError):
    """A field of the request's caller that authentication did not load was read."""


class Caller(User):
    """The user a request's token names, as authentication builds it (accounts.tokens): the
    fields of CALLER_FIELDS, read from the token and its state, and nothing else.

    Reading another field raises FieldNotLoaded, where a partial model instance would quietly
    read the row with a query of its own: a route that needs more of the account reads it
    (UserViewSet.get_account), and its query count says so.
    """

    CALLER_FIELDS = ("id", "is_active", "token_version")

    class Meta:
        proxy = True

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        raise FieldNotLoaded(
            f"request.user carries only {', '.join(self.CALLER_FIELDS)}; "
            f"{', '.join(fields or ['every field'])} must be read from the database explicitly."
        )

    def __str__(self):
        return f"user {self.pk}"


class TokenFamily(models.Model):
    """The refresh tokens that descend, by rotation, from one login.

    A refresh token used a second time was copied by someone: the whole family is revoked, so
    that whichever of the thief and the user rotated first loses the session too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When its newest refresh token expires: after that nothing of the login can be used, and
    # `manage.py prune_tokens` deletes it.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "token families"

    def __str__(self):
        return f"{self.user_id}: {self.id}"
