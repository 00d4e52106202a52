"""Account writes and token lifecycles: the rules behind sign-up, password change and JWTs."""

from django.db import IntegrityError, connection, transaction
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import REFRESH_INVALID, BearerAuthentication, validated_refresh_token
from accounts.models import User, username_base_from_email
from votes.services import votes_withdraw_all

EMAIL_TAKEN = "A user with this email already exists."
USERNAME_TAKEN = "A user with this username already exists."
_DERIVE_ATTEMPTS = 5


def _take_turns_deriving(email):
    """Sign-ups deriving a handle from the same email local part take turns, until commit.

    Each then sees the handles the ones before it took, and derives the next free one: without
    this, a burst of them on PostgreSQL derived the same handle, collided, and ran out of
    retries. SQLite's IMMEDIATE transactions already run one writer at a time.
    """
    if connection.vendor == "postgresql":
        key = f"accounts.username:{username_base_from_email(email)}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def user_create(*, email, password, username=None):
    """Create an account; a concurrent duplicate becomes the same 400 as a sequential one."""
    email = email.strip().lower()
    for _attempt in range(_DERIVE_ATTEMPTS):
        try:
            with transaction.atomic():
                if username is None:
                    _take_turns_deriving(email)
                return User.objects.create_user(email=email, password=password, username=username)
        except IntegrityError:
            if User.objects.filter(email__iexact=email).exists():
                raise ValidationError({"email": [EMAIL_TAKEN]}) from None
            if username is not None:
                raise ValidationError({"username": [USERNAME_TAKEN]}) from None
            # Someone else took the derived handle meanwhile: derive the next free one.
    raise ValidationError({"username": ["Could not derive a free username; choose one."]})


def user_update(*, user, username=None, email=None):
    """Change the handle and/or email; the database settles a race for the same value."""
    if username is not None:
        user.username = username
    if email is not None:
        user.email = email.strip().lower()
    try:
        with transaction.atomic():
            user.save(update_fields=["username", "email"])
    except IntegrityError:
        if (
            email is not None
            and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        ):
            raise ValidationError({"email": [EMAIL_TAKEN]}) from None
        raise ValidationError({"username": [USERNAME_TAKEN]}) from None
    return user


def user_change_password(*, user, new_password):
    """Set a new password; every token issued before carries the old hash and stops working."""
    user.set_password(new_password)
    user.save(update_fields=["password"])


def user_delete(*, user):
    """Delete an account with everything it owns; its likes are taken back first, so the
    like counts of other users' posts stay exact."""
    with transaction.atomic():
        votes_withdraw_all(user=user)
        user.delete()


def token_pair_for(user):
    """A fresh RFC 6749 token pair for `user`."""
    refresh = RefreshToken.for_user(user)
    return {
        "access_token": str(refresh.access_token),
        "refresh_token": str(refresh),
        "token_type": "bearer",
        "expires_in": int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
    }


def _revoke(raw_token):
    """Check a refresh token and revoke it, exactly once even under concurrent use."""
    token = validated_refresh_token(raw_token)
    user = BearerAuthentication().get_user(token)
    _blacklisted, created = token.blacklist()
    if not created:
        raise AuthenticationFailed(REFRESH_INVALID)
    return user


def token_refresh(*, raw_token):
    """Rotate: revoke the refresh token used and issue a new pair."""
    with transaction.atomic():
        user = _revoke(raw_token)
    return token_pair_for(user)


def token_revoke(*, raw_token):
    """Log out: revoke the refresh token given."""
    with transaction.atomic():
        _revoke(raw_token)
