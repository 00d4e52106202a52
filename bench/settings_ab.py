"""config.settings without the per-request middlewares issue 19 added, for the benchmark's A/B
(`bench/run.py --ab-middleware`): the same server, to measure what they cost every route.

Bench only: production has no setting that turns them off. What stays is the work issue 19 put
elsewhere on a request's path (the throttles noting each request's standing for the RateLimit
headers, idempotency keys on creates).
"""

from config import settings as _production
from config.settings import *  # noqa: F403

ISSUE_19_MIDDLEWARE = (
    "django.middleware.http.ConditionalGetMiddleware",
    "core.middleware.ApiCacheControlMiddleware",
    "core.middleware.RateLimitHeadersMiddleware",
)
MIDDLEWARE = [name for name in _production.MIDDLEWARE if name not in ISSUE_19_MIDDLEWARE]
