"""What issue 19's per-request middlewares cost each request, in-process:
`python bench/middleware_cost.py [NAME ...] [--requests N] [--rounds R]`.

The A/B of `bench/run.py --ab-middleware` measures gunicorn and PostgreSQL under wrk, on a
machine whose other load moves CPU per request by more than the 5% at stake. Here one process
holds two of Django's WSGI applications, called as gunicorn calls them (bench/profile.py's
App): one with config.settings' MIDDLEWARE, one with bench/settings_ab.py's. They answer the
same requests in short alternating rounds, and each round's Python CPU time per request
(time.thread_time: this thread only, PostgreSQL's time excluded) is kept. Prints, per scenario,
the median of each and the median difference of the rounds run back to back.

On a busy machine even those move by more than the middlewares cost, so it also times the
three alone, as the fastest of several runs (which other load can slow but not speed up):
around a view that returns the route's real answer (recorded once), against that view alone,
with the throttle's standing a throttled route carries for the RateLimit headers. Needs the
server's environment, as bench/profile.py does (bench/README.md gives the command).
"""

import argparse
import json
import statistics
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios as sc
from bench.profile import App, requests_of

EXISTING = ("health", "feed_anon", "feed_auth", "post_detail", "like_unlike")


def cpu_per_request(app, batch, requests):
    started = time.thread_time()
    for _ in range(requests):
        for method, path, token, body, expect in batch:
            status, content = app.call(method, path, token, body)
            if status != expect:
                raise SystemExit(f"{method} {path}: {status}, not {expect}: {content[:200]!r}")
    return (time.thread_time() - started) / (requests * len(batch)) * 1000


def layers_alone_us(app, batch):
    """Microseconds issue 19's middlewares add to the answers of `batch` (per request), timed
    alone around a view that returns each recorded answer."""
    from django.http import HttpResponse
    from django.middleware.http import ConditionalGetMiddleware
    from django.test import RequestFactory

    from core.middleware import ApiCacheControlMiddleware, RateLimitHeadersMiddleware
    from core.throttling import Standing

    added = 0.0
    for method, path, token, body, expect in batch:
        _, content = app.call(method, path, token, body)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        data = json.dumps(body) if body is not None else ""
        request = RequestFactory().generic(method, path, data, "application/json", **headers)
        if path.startswith("/api/"):
            request._rate_standings = [Standing("anon", 100_000, 1, 99_999, 1)]

        def view(request, content=content, expect=expect):
            return HttpResponse(content, content_type="application/json", status=expect)

        layers = ConditionalGetMiddleware(
            ApiCacheControlMiddleware(RateLimitHeadersMiddleware(view))
        )
        fastest = {
            handler: min(timeit.repeat(lambda h=handler, r=request: h(r), number=2000, repeat=7))
            for handler in (layers, view)
        }
        added += (fastest[layers] - fastest[view]) / 2000 * 1e6
    return added / len(batch)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", help=f"default: {' '.join(EXISTING)}")
    parser.add_argument("--requests", type=int, default=100, help="per round")
    parser.add_argument("--rounds", type=int, default=40, help="per application")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(sc.BY_NAME)
    if unknown:
        parser.error(f"no such scenario: {', '.join(sorted(unknown))}")
    with_them = App()
    from django.test.utils import override_settings

    from bench import settings_ab

    with override_settings(MIDDLEWARE=settings_ab.MIDDLEWARE):
        without = App()
    print(
        "scenario      with (ms)  without (ms)  difference         the middlewares alone",
        file=sys.stderr,
    )
    for name in args.scenarios or EXISTING:
        batch = requests_of(with_them, sc.BY_NAME[name])
        for app in (with_them, without):  # warm: imports, URL resolver, prepared statements
            cpu_per_request(app, batch, 30)
        pairs = []
        for number in range(args.rounds):
            # Taking turns going first: a round may warm what the next one reads.
            order = (with_them, without)[:: 1 if number % 2 else -1]
            measured = {app: cpu_per_request(app, batch, args.requests) for app in order}
            pairs.append((measured[with_them], measured[without]))
        a = statistics.median(pair[0] for pair in pairs)
        b = statistics.median(pair[1] for pair in pairs)
        # Each pair ran back to back, under much the same load from other processes.
        difference = statistics.median(pair[0] - pair[1] for pair in pairs)
        alone = layers_alone_us(with_them, batch)
        print(
            f"{name:12} {a:10.3f} {b:13.3f}  {difference * 1000:+6.0f} µs ({difference / b:+.1%})"
            f"  {alone:6.1f} µs",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
