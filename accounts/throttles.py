"""Login attempts, counted per client address and per account, wherever a password is tried."""

from collections.abc import Mapping

from accounts.models import User, submitted_identifier
from core.shared import counters, digest
from core.throttling import AddressRateThrottle, WindowRateThrottle


class LoginIPThrottle(AddressRateThrottle):
    """Login attempts per client address."""

    scope = "login_ip"


class SignUpThrottle(AddressRateThrottle):
    """Sign-ups, and email changes, per client address (`SIGNUP_RATE_PER_IP`): either answer
    tells whether an email has an account, and each sign-up hashes a password. Other requests
    of the views it is on (reading or renaming one's account) are not counted."""

    scope = "signup"

    def get_cache_key(self, request, view):
        counted = request.method == "POST" or (
            request.method == "PATCH"
            and isinstance(request.data, Mapping)
            and "email" in request.data
        )
        return super().get_cache_key(request, view) if counted else None


class _AccountKeys:
    def key_for(self, account):
        return self.cache_format % {"scope": self.scope, "ident": digest(account)}


def _login_identifier(request):
    data = request.data if hasattr(request, "data") else request.POST
    return submitted_identifier(data) if isinstance(data, Mapping) else None


class LoginIdentifierThrottle(_AccountKeys, WindowRateThrottle):
    """Login attempts per identifier sent, in its normal form (`LOGIN_RATE_PER_ACCOUNT`).

    Counted by what was sent only, whether or not it names an account, so that its 429 says
    nothing a client did not already know. Keys are digests: an identifier never reaches the
    cache.
    """

    scope = "login_account"

    def get_cache_key(self, request, view):
        identifier = _login_identifier(request)
        if identifier is None:
            return None  # Not an identifier at all: the login answers 400 without a guess.
        return self.key_for(f"name:{identifier}")


class AccountLoginLimit(_AccountKeys, WindowRateThrottle):
    """Password attempts per account, by whichever of its email and handle
    (`LOGIN_RATE_PER_ACCOUNT` again). Past it a login is refused without checking the password,
    with the answer of a wrong one: a 429 here would tell that the identifier sent names the
    same account as the ones tried before."""

    scope = "login_account"

    def reached(self, request) -> bool:
        """Count this attempt against the account it names (if any): whether it is past the
        limit."""
        identifier = _login_identifier(request)
        if identifier is None:
            return False
        user_id = User.objects.with_identifier(identifier).values_list("pk", flat=True).first()
        if user_id is None:
            return False  # No account: its identifier's own limit is the one that applies.
        self.key = self.key_for(f"user:{user_id}")
        hits, _ = counters().hit(self.key, self.duration)
        return hits > self.num_requests


class PasswordChangeThrottle(_AccountKeys, WindowRateThrottle):
    """Password changes count against the caller's login attempts (AccountLoginLimit's counter):
    a stolen access token guesses the current password no faster than a login would. A 429 here
    tells the caller nothing new: the account is theirs."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        return self.key_for(f"user:{request.user.pk}")


def login_retry_after(request):
    """Count a login attempt outside DRF (the admin's): None if allowed, else seconds to wait."""
    waits = [
        throttle.wait()
        for throttle in (LoginIPThrottle(), LoginIdentifierThrottle())
        if not throttle.allow_request(request, view=None)
    ]
    return max(waits, default=None)
