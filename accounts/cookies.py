"""The refresh token in a cookie, for browser front ends (docs/API.md, Authentication).

Opt-in at login (`"refresh_cookie": true`): the refresh token then travels only in an
HttpOnly, Secure, SameSite=Strict cookie scoped to the auth routes, out of reach of any script,
and the answer's body leaves it out. A refresh or a logout that reads the cookie must carry
Django's CSRF token (the `csrftoken` cookie, sent back in `X-CSRFToken`), checked as DRF checks
a session's; SameSite=Strict already keeps the cookie off other sites' requests, and the token
covers what it does not (a sibling subdomain, an older browser).
"""

from datetime import timedelta
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from rest_framework import exceptions
from rest_framework.authentication import CSRFCheck
from rest_framework.response import Response

REFRESH_COOKIE = "agora_refresh"
REFRESH_COOKIE_PATH = "/api/v1/auth/"
REFRESH_LIFETIME = cast(timedelta, settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"])


def set_refresh_cookie(request: HttpRequest, response: Response, refresh_token: str) -> None:
    """Put `refresh_token` in the cookie (and make sure the CSRF cookie is set too)."""
    response.set_cookie(
        REFRESH_COOKIE,
        refresh_token,
        max_age=REFRESH_LIFETIME,
        path=REFRESH_COOKIE_PATH,
        secure=True,
        httponly=True,
        samesite="Strict",
    )
    get_token(request)


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def clear_refresh_cookie(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite="Strict")


def refresh_token_from_cookie(request: HttpRequest) -> str | None:
    """The cookie's refresh token, once the request's CSRF token checks out (403 otherwise);
    None without the cookie."""
    token = request.COOKIES.get(REFRESH_COOKIE)
    if token is None:
        return None
    # As DRF's SessionAuthentication.enforce_csrf: the check only, no view to call.
    check = CSRFCheck(_no_view)
    check.process_request(request)
    reason = check.process_view(request, _no_view, (), {})
    if reason:
        raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")
    return token
