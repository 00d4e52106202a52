"""Account writes and token lifecycles: the rules behind sign-up, password change and JWTs."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from accounts.identifiers import (
    LOOKS_TAKEN_MESSAGE,
    normalize_email,
    username_base_from_email,
)
from accounts.models import TokenFamily, User
from accounts.revocation import publish_revoked_logins, publish_users, user_state
from accounts.signals import user_deleting
from accounts.sql import take_turns
from accounts.tokens import (
    FAMILY_CLAIM,
    RefreshToken,
    RefreshTokenInvalid,
    TokenReused,
    refresh_token_from,
    user_for_token,
)
from core.exceptions import Invalid, Unauthenticated


class TokenPair(TypedDict):
    """RFC 6749 section 5.1's token response."""

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class EmailTaken(Invalid):
    field = "email"
    message = "A user with this email already exists."


class UsernameTaken(Invalid):
    field = "username"
    message = "A user with this username already exists."


class HandleLooksTaken(Invalid):
    field = "username"
    message = LOOKS_TAKEN_MESSAGE


class InvalidCredentials(Unauthenticated):
    message = "Invalid credentials"


_DERIVE_ATTEMPTS = 5


def _take_turns_deriving(email: str) -> None:
    """Sign-ups deriving a handle from the same email local part take turns, until commit.

    Each then sees the handles the ones before it took, and derives the next free one: without
    this, a burst of them on PostgreSQL derived the same handle, collided, and ran out of
    retries.
    """
    take_turns(f"accounts.username:{username_base_from_email(email)}")


def _identity_taken(*, user: User) -> Invalid:
    """What a unique constraint refused of `user`'s email or handle, as the API says it."""
    others = User.objects.exclude(pk=user.pk)
    if others.filter(email=user.email).exists():
        return EmailTaken()
    if others.filter(username__iexact=user.username).exists():
        return UsernameTaken()
    return HandleLooksTaken()


def user_create(*, email: str, password: str, username: str | None = None) -> User:
    """Create an account; a concurrent duplicate becomes the same 400 as a sequential one.

    The password is hashed first, outside any transaction: hashing takes most of a second of
    CPU, and nothing (a row, a lock, a connection in a transaction) is held meanwhile.
    """
    password_hash = make_password(password)
    email = normalize_email(email)
    for _attempt in range(_DERIVE_ATTEMPTS):
        user = User(email=email, username=username or "", password=password_hash)
        try:
            with transaction.atomic():
                if username is None:
                    _take_turns_deriving(email)
                    user.username = User.objects.free_username(username_base_from_email(email))
                user.save()
                return user
        except IntegrityError:
            taken = _identity_taken(user=user)
            if username is not None or isinstance(taken, EmailTaken):
                raise taken from None
            # Someone else took the derived handle meanwhile: derive the next free one.
    raise Invalid("Could not derive a free username; choose one.", field="username")


def user_update(
    *,
    user: User,
    username: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
    bio: str | None = None,
) -> User:
    """Change the handle, email, display name and/or bio; the database settles a race for the
    same handle or email."""
    if email is not None:
        email = normalize_email(email)
    changes = {
        field: value
        for field, value in (
            ("username", username),
            ("email", email),
            ("display_name", display_name),
            ("bio", bio),
        )
        if value is not None
    }
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            user.save(update_fields=list(changes))
    except IntegrityError:
        raise _identity_taken(user=user) from None
    return user


def user_change_password(*, user: User, new_password: str) -> None:
    """Set a new password and revoke every token issued before."""
    user.set_password(new_password)
    user.revoke_tokens()
    user.save(update_fields=["password", "token_version"])


def _publish_states(user_ids: list[int]) -> None:
    rows = User.objects.filter(pk__in=user_ids).values_list("pk", "token_version", "is_active")
    publish_users(
        {pk: user_state(token_version=version, is_active=active) for pk, version, active in rows}
    )


def users_deactivate(*, users: QuerySet[User]) -> int:
    """Deactivate users and revoke their tokens for good: reactivation does not revive them."""
    users = users.filter(is_active=True)
    ids = list(users.values_list("pk", flat=True))
    count = users.update(is_active=False, token_version=F("token_version") + 1)
    _publish_states(ids)
    return count


def users_reactivate(*, users: QuerySet[User]) -> int:
    """Let deactivated users log in again; the tokens they held stay revoked (the version moves
    on once more, as every change of a user's tokens' state does)."""
    users = users.filter(is_active=False)
    ids = list(users.values_list("pk", flat=True))
    count = users.update(is_active=True, token_version=F("token_version") + 1)
    _publish_states(ids)
    return count


def user_delete(*, user: User) -> None:
    """Delete an account with everything it owns. Apps that keep figures about the user's doings
    elsewhere (votes: the like counts of other users' posts) settle them first, in the same
    transaction, through the `user_deleting` signal."""
    with transaction.atomic():
        user_deleting.send(sender=User, user=user)
        user.delete()


def user_log_in(
    *, identifier: str, password: str, account_limit_reached: bool = False
) -> TokenPair:
    """A token pair for the account named by email or handle, if the password is its own.

    Once the account has had its attempts for now (accounts.throttles.AccountLoginLimit), the
    password is hashed but not checked: the answer is a wrong password's, in the same time.
    """
    if account_limit_reached:
        make_password(password)
        raise InvalidCredentials
    user = authenticate(username=identifier, password=password)
    if user is None:
        raise InvalidCredentials
    return token_pair_for(user)


def token_pair_for(user: User, *, family: uuid.UUID | None = None) -> TokenPair:
    """A fresh RFC 6749 token pair for `user`: a new login, or the next of a `family`. A login
    lives as long as its newest refresh token (TokenFamily.expires_at)."""
    is_new_login = family is None
    family = family or uuid.uuid4()
    refresh = RefreshToken.for_user(user, family=family)
    expires_at = datetime.fromtimestamp(refresh["exp"], UTC)
    if is_new_login:
        TokenFamily.objects.create(pk=family, user=user, expires_at=expires_at)
    else:
        TokenFamily.objects.filter(pk=family).update(expires_at=expires_at)
    return {
        "access_token": str(refresh.access_token),
        "refresh_token": str(refresh),
        "token_type": "bearer",
        "expires_in": int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
    }


def _logins_revoke(*families: uuid.UUID) -> None:
    """End these logins: their refresh tokens and their access tokens, everywhere at once."""
    TokenFamily.objects.filter(pk__in=families, revoked_at=None).update(revoked_at=timezone.now())
    publish_revoked_logins(*families)


def _spent_recently(payload: dict[str, Any]) -> bool:
    """Whether a refresh token spent already was spent less than
    REFRESH_TOKEN_REUSE_GRACE_SECONDS ago: a second tab, or a retry of an answer lost on the
    way, refreshing with the same token at about the same moment."""
    spent_at = (
        BlacklistedToken.objects.filter(token__jti=payload.get(jwt_settings.JTI_CLAIM))
        .values_list("blacklisted_at", flat=True)
        .first()
    )
    grace = timedelta(seconds=settings.REFRESH_TOKEN_REUSE_GRACE_SECONDS)
    return spent_at is not None and timezone.now() - spent_at <= grace


def _spend(raw_token: str) -> tuple[User, uuid.UUID]:
    """Check a refresh token and spend it, exactly once even under concurrent use: the user and
    the login it belongs to.

    A token spent again within the grace period is let through: it was a concurrent refresh of
    the same session. Spent again later, it was copied: its whole login is revoked (OAuth 2.0
    Security BCP, refresh token rotation), access tokens included.
    """
    try:
        token = refresh_token_from(raw_token)
        with transaction.atomic():
            user = user_for_token(token)
            _blacklisted, created = token.blacklist()
            if not created:
                raise TokenReused(token.payload)
        payload = token.payload
    except TokenReused as reuse:
        if not _spent_recently(reuse.payload):
            _logins_revoke(reuse.family)
            raise RefreshTokenInvalid from None
        payload = reuse.payload
        user = user_for_token(payload)
    return user, uuid.UUID(payload[FAMILY_CLAIM])


def token_refresh(*, raw_token: str) -> TokenPair:
    """Rotate: spend the refresh token used and issue the next pair of its login."""
    user, family = _spend(raw_token)
    return token_pair_for(user, family=family)


def token_revoke(*, raw_token: str) -> None:
    """Log out: end the login the refresh token belongs to, its access tokens included."""
    _user, family = _spend(raw_token)
    _logins_revoke(family)
