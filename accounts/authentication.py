from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken

REFRESH_INVALID = _("Refresh token is invalid, expired or revoked.")


class BearerAuthentication(JWTAuthentication):
    """SimpleJWT bearer auth answering every bad token with a plain `{"detail"}` 401.

    Its `authenticate_header` gives DRF the `WWW-Authenticate: Bearer` it needs to answer 401
    rather than 403 when a token is missing.
    """

    www_authenticate_realm = "api"

    def get_validated_token(self, raw_token):
        try:
            return super().get_validated_token(raw_token)
        except InvalidToken as exc:
            raise AuthenticationFailed(_("Token is invalid or expired.")) from exc


def validated_refresh_token(raw_token):
    """Parse a refresh token: signature, expiry, type and revocation; a 401 otherwise."""
    try:
        return RefreshToken(raw_token)
    except TokenError as exc:
        raise AuthenticationFailed(REFRESH_INVALID) from exc


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    """Document login as the OAuth2 password flow, so Swagger UI's "Authorize" works as is."""

    target_class = "accounts.authentication.BearerAuthentication"
    name = "OAuth2PasswordBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": "/api/v1/auth/login/", "scopes": {}}},
        }
