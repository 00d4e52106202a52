"""JWTs: what they carry, when they stop being valid, and rotation that detects stolen ones."""

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


def user_for_token(token):
    """The active user a valid token was issued to, if nothing has revoked it since."""
    user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM), is_active=True).first()
    if user is None:
        raise TokenRevoked("User not found or inactive.")
    if token.get(VERSION_CLAIM) != user.token_version:
        raise TokenRevoked
    return user
