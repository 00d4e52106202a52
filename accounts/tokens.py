"""JWTs: what they carry, when they stop being valid, and rotation that detects stolen ones."""

from django.core.cache import caches
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.models import User
from core.exceptions import Unauthenticated

# Claims of Agora's own: the user's token_version when the token was issued, and the family
# (login) a refresh token descends from. Access tokens copy both from their refresh token.
VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"


class TokenInvalid(Unauthenticated):
    message = "Token is invalid or expired."


class RefreshTokenInvalid(Unauthenticated):
    message = "Refresh token is invalid, expired or revoked."


class TokenRevoked(Unauthenticated):
    message = "Token has been revoked."


class TokenReused(TokenError):
    """A refresh token presented again after it was rotated or revoked."""

    def __init__(self, payload):
        super().__init__("Token is blacklisted")
        self.family = payload.get(FAMILY_CLAIM)


class RefreshToken(tokens.RefreshToken):
    """SimpleJWT's refresh token (outstanding and blacklisted in the database), with Agora's
    claims, and a distinct error for a token used again."""

    @classmethod
    def for_user(cls, user, *, family):
        token = super().for_user(user)
        token[VERSION_CLAIM] = user.token_version
        token[FAMILY_CLAIM] = str(family)
        return token

    def check_blacklist(self):
        try:
            super().check_blacklist()
        except TokenError:
            raise TokenReused(self.payload) from None


def refresh_token_from(raw_token):
    """Parse a refresh token: signature, expiry and type. A token used again raises TokenReused."""
    try:
        return RefreshToken(raw_token)
    except TokenReused:
        raise
    except TokenError as exc:
        raise RefreshTokenInvalid from exc


# How long a process may go on trusting what it last read of a user's tokens: a revocation (a
# password change, a deactivation, a deletion) takes effect at once in the process that made it
# and within this many seconds everywhere else. Each request would otherwise read the user.
TOKEN_STATE_SECONDS = 5
_GONE = "gone"


def _state_key(user_id):
    return f"accounts:token-state:{user_id}"


def token_state(user_id):
    """(token_version, is_active) of a user, or None if there is no such user; read from the
    database at most once per TOKEN_STATE_SECONDS per process."""
    cache = caches["process"]
    state = cache.get(_state_key(user_id))
    if state is None:
        row = User.objects.filter(pk=user_id).values_list("token_version", "is_active").first()
        state = row or _GONE
        cache.set(_state_key(user_id), state, TOKEN_STATE_SECONDS)
    return None if state == _GONE else state


def forget_token_state(*user_ids):
    """Drop what this process knows of these users' tokens: they were just revoked or restored."""
    caches["process"].delete_many([_state_key(user_id) for user_id in user_ids])


def user_for_token(token):
    """The active user a valid token was issued to, if nothing has revoked it since.

    The user is built from what the token and its state say, without reading the user's row:
    only its id, `is_active` and `token_version` are loaded; any other field is read from the
    database when first used, as a deferred field is.
    """
    user_id = token.get(jwt_settings.USER_ID_CLAIM)
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise TokenInvalid from None
    state = token_state(user_id)
    if state is None or not state[1]:
        raise TokenRevoked("User not found or inactive.")
    version, is_active = state
    if token.get(VERSION_CLAIM) != version:
        raise TokenRevoked
    # Values in the order of the model's fields, as from_db expects them.
    return User.from_db(
        "default", ["id", "is_active", "token_version"], [user_id, is_active, version]
    )
