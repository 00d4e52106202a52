"""JWTs: what they carry, when they stop being valid, and rotation that detects stolen ones."""

import uuid

from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.models import Caller
from accounts.revocation import LIVE, USER_GONE, token_states, valid_state
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


class UserGone(TokenRevoked):
    """The token's user was deleted or deactivated (perhaps while the request was under way)."""

    message = "User not found or inactive."


class TokenReused(TokenError):
    """A refresh token presented again after it was rotated or revoked."""

    def __init__(self, payload):
        super().__init__("Token is blacklisted")
        self.payload = payload
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


def user_for_token(token):
    """The active user a valid token was issued to, if nothing has revoked it since
    (accounts.revocation).

    The user is built from what the token and its state say, without reading the user's row:
    a Caller, which carries its id, `is_active` and `token_version` only.
    """
    try:
        user_id = int(token.get(jwt_settings.USER_ID_CLAIM))
        family = uuid.UUID(str(token.get(FAMILY_CLAIM)))
    except (TypeError, ValueError):
        raise TokenInvalid from None
    version = token.get(VERSION_CLAIM)
    user_state, login_state = token_states(user_id, family)
    if user_state == USER_GONE or user_state % 2 == 0:
        raise UserGone
    if not isinstance(version, int) or user_state != valid_state(version) or login_state != LIVE:
        raise TokenRevoked
    # Values in the order of the model's fields, as from_db expects them.
    return Caller.from_db("default", Caller.CALLER_FIELDS, [user_id, True, version])
