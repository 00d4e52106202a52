"""DRF throttles counted by atomic increments, one Redis round trip per request for all of them.

DRF's SimpleRateThrottle reads the history of a key, appends and writes it back: concurrent
requests each read the same history and all pass, and the history holds one timestamp per request
of the window. Here each request adds one to a counter in a fixed window that the key's first
request opens (core.shared.Counters, in Redis when it is configured), so that the limit holds under
concurrency. The price of a fixed window: a client may spend one window's allowance at its end
and the next at the start of the next.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter
from rest_framework import throttling

from core.rates import parse_rate
from core.shared import counters

THROTTLED = Counter(
    "agora_throttled_requests", "Requests refused by a rate limit, by the limit's scope.", ["scope"]
)


@dataclass(frozen=True)
class Standing:
    """Where a request stands against one limit: its name, quota and window (seconds), and
    what is left of it, with the seconds until its window resets."""

    name: str
    quota: int
    window: int
    remaining: int
    reset: int


def _standings(request: HttpRequest) -> list[Standing]:
    standings: list[Standing] = request.__dict__.setdefault("_rate_standings", [])
    return standings


def add_rate_limit_headers(request: HttpRequest, response: HttpResponse) -> None:
    """`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-09) for the
    limit the request came closest to: the least left, then the longest to wait."""
    standings = _standings(request)
    if not standings:
        return
    closest = min(standings, key=lambda s: (s.remaining, -s.reset))
    response["RateLimit-Policy"] = f'"{closest.name}";q={closest.quota};w={closest.window}'
    response["RateLimit"] = f'"{closest.name}";r={closest.remaining};t={closest.reset}'


def _counted(request, view) -> dict[str, tuple[int, int]]:
    """This request's hit in the window of every throttle of `view` that counts it, {key: (hits,
    seconds left)}: counted by the first throttle that asks, for all of them, in one round trip
    to Redis (an anonymous request is counted by two limits, a signed-in one by one or more)."""
    if view is None:
        return {}  # Outside DRF (the admin's login): each throttle counts on its own.
    http_request = getattr(request, "_request", request)
    counted: dict[str, tuple[int, int]] | None = http_request.__dict__.get("_rate_hits")
    if counted is None:
        windows = {}
        try:
            for throttle in view.get_throttles():
                if isinstance(throttle, WindowRateThrottle) and throttle.rate is not None:
                    key = throttle.get_cache_key(request, view)
                    if key is not None:
                        windows[key] = throttle.duration
        finally:
            # A key that cannot be had (from a body that cannot be parsed) raises what that
            # throttle would have raised in its turn, once the throttles before it have counted.
            hits = counters().hit_many(list(windows.items())) if windows else []
            counted = http_request._rate_hits = dict(zip(windows, hits, strict=True))
    return counted


class WindowRateThrottle(throttling.SimpleRateThrottle):
    """A rate throttle ("5/min", "5/30m") counted in fixed windows; subclasses say what to count
    by."""

    num_requests: int
    duration: int

    def parse_rate(self, rate):
        return (None, None) if rate is None else parse_rate(rate)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        hits, self.retry_after = _counted(request, view).get(self.key) or counters().hit(
            self.key, self.duration
        )
        _standings(getattr(request, "_request", request)).append(
            Standing(
                name=self.scope.replace("_", "-"),
                quota=self.num_requests,
                window=self.duration,
                remaining=max(self.num_requests - hits, 0),
                reset=self.retry_after,
            )
        )
        if hits > self.num_requests:
            THROTTLED.labels(scope=self.scope).inc()
            return False
        return True

    def wait(self):
        return self.retry_after


class AddressRateThrottle(WindowRateThrottle):
    """Requests per client address, signed in or not (`X-Forwarded-For` only with
    `NUM_PROXIES`); subclasses set the scope."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AnonRateThrottle(WindowRateThrottle, throttling.AnonRateThrottle):
    """Anonymous requests per client address (`ANON_RATE`)."""


class UserRateThrottle(WindowRateThrottle, throttling.UserRateThrottle):
    """Requests per signed-in user, or per address when anonymous (`USER_RATE`)."""
