from collections.abc import Mapping

from rest_framework.throttling import SimpleRateThrottle


class LoginIPThrottle(SimpleRateThrottle):
    """Login attempts per client address (`X-Forwarded-For` only with `NUM_PROXIES`)."""

    scope = "login_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(SimpleRateThrottle):
    """Login attempts per submitted email or handle, whether or not the account exists."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        data = request.data if isinstance(request.data, Mapping) else {}
        identifier = data.get("username") or data.get("email")
        if not isinstance(identifier, str) or not identifier:
            return None
        return self.cache_format % {"scope": self.scope, "ident": identifier.strip().lower()}
