from functools import lru_cache

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow

from accounts.tokens import TokenInvalid, user_for_token
from core.exceptions import Unauthenticated

# Access tokens whose signature, type and claims this process verified lately, at most this many
# (a few hundred bytes each): a client sends the same token with every request until it expires.
# Only tokens that pass are kept (lru_cache keeps no exception), each is checked for expiry
# again when it is found, and whether it was revoked is read on every request
# (accounts.revocation), so a token logged out is refused at once, as before.
VERIFIED_TOKENS = 4096


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(raw_token: bytes) -> Token:
    return JWTAuthentication().get_validated_token(raw_token)


class BearerAuthentication(JWTAuthentication):
    """SimpleJWT bearer auth: the scheme in any letter case, every bad token a plain 401.

    Its `authenticate_header` gives DRF the `WWW-Authenticate: Bearer` it needs to answer 401
    rather than 403 when a token is missing.
    """

    www_authenticate_realm = "api"

    def get_raw_token(self, header):
        # RFC 7235: the scheme is case-insensitive, and login answers `"token_type": "bearer"`.
        parts = header.split()
        if parts and parts[0].lower() == b"bearer":
            parts[0] = b"Bearer"
        return super().get_raw_token(b" ".join(parts))

    def get_validated_token(self, raw_token):
        try:
            token = _verified(raw_token)
            # Found among those verified before, it may have expired since.
            token.check_exp(current_time=aware_utcnow())
        except (InvalidToken, TokenError) as exc:
            raise AuthenticationFailed(TokenInvalid.message) from exc
        return token

    def get_user(self, validated_token):
        try:
            return user_for_token(validated_token)
        except Unauthenticated as exc:
            raise AuthenticationFailed(exc.message) from exc


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    """Document login as the OAuth2 password flow, so Swagger UI's "Authorize" works as is."""

    target_class = "accounts.authentication.BearerAuthentication"
    name = "OAuth2PasswordBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": "/api/v1/auth/login/", "scopes": {}}},
        }
