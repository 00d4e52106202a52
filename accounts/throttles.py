"""Login attempts, counted per client address and per account, wherever a password is tried."""

from collections.abc import Mapping

from accounts.models import User, submitted_identifier
from core.cache import digest
from core.throttling import WindowRateThrottle


class LoginIPThrottle(WindowRateThrottle):
    """Login attempts per client address (`X-Forwarded-For` only with `NUM_PROXIES`)."""

    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(WindowRateThrottle):
    """Password attempts per account, whether it is named by its email or its handle.

    An identifier that names no account is counted by itself, so that guessing looks the same
    whether or not the account exists. Keys are digests: an identifier never reaches the cache.
    """

    scope = "login_account"

    def get_cache_key(self, request, view):
        data = request.data if hasattr(request, "data") else request.POST
        identifier = submitted_identifier(data) if isinstance(data, Mapping) else None
        if identifier is None:
            return None  # Not an identifier at all: the login answers 400 without a guess.
        user_id = User.objects.with_identifier(identifier).values_list("pk", flat=True).first()
        return self.key_for(f"user:{user_id}" if user_id is not None else f"name:{identifier}")

    def key_for(self, account):
        return self.cache_format % {"scope": self.scope, "ident": digest(account)}


class PasswordChangeThrottle(LoginAccountThrottle):
    """Password changes count against the caller's login attempts: a stolen access token guesses
    the current password no faster than a login would."""

    def get_cache_key(self, request, view):
        return self.key_for(f"user:{request.user.pk}")


def login_retry_after(request):
    """Count a login attempt outside DRF (the admin's): None if allowed, else seconds to wait."""
    waits = [
        throttle.wait()
        for throttle in (LoginIPThrottle(), LoginAccountThrottle())
        if not throttle.allow_request(request, view=None)
    ]
    return max(waits, default=None)
