"""What each middleware costs a request, in-process: `python bench/middleware_each.py [NAME ...]
[--requests N] [--repeat R]` (scenarios, default health and feed_anon).

One process holds Django's WSGI application once with config.settings' MIDDLEWARE and once
without each middleware in turn (or group of them: GROUPS), called as gunicorn
calls them (bench/profile.py's App). Each answers the same requests in runs of N, R times
taking turns; a run's figure is this thread's CPU per request (time.thread_time: PostgreSQL's
and Redis's time excluded), and each application's is the fastest of its runs, which other
load on the machine can slow but not speed up. Prints, per scenario, the full stack's figure and
what each middleware adds to it. Needs the server's environment, as bench/profile.py does
(bench/README.md gives the command).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios as sc
from bench.middleware_cost import cpu_per_request
from bench.profile import App, requests_of

# Left out together: each needs the others (the admin's session, user and messages; the two
# halves of django-prometheus's timing).
GROUPS = {
    "django_prometheus (both halves)": (
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ),
    "the admin's session, user and messages (core.middleware)": (
        "core.middleware.SessionMiddleware",
        "core.middleware.AuthenticationMiddleware",
        "core.middleware.MessageMiddleware",
    ),
}


def variants():
    """{name: MIDDLEWARE without it}, the full stack first under the name ''."""
    from django.conf import settings

    full = list(settings.MIDDLEWARE)
    grouped = {path for group in GROUPS.values() for path in group}
    left_out = {"": full}
    for name, group in GROUPS.items():
        left_out[name] = [path for path in full if path not in group]
    for path in full:
        if path not in grouped:
            left_out[path] = [p for p in full if p != path]
    return left_out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", help="default: health feed_anon")
    parser.add_argument("--requests", type=int, default=300, help="per run")
    parser.add_argument("--repeat", type=int, default=7, help="runs per application")
    args = parser.parse_args()
    from django.test.utils import override_settings

    apps = {}
    for name, middleware in variants().items():
        with override_settings(MIDDLEWARE=middleware):
            apps[name] = App()
    for scenario in args.scenarios or ["health", "feed_anon"]:
        batch = requests_of(apps[""], sc.BY_NAME[scenario])
        for app in apps.values():  # warm: imports, URL resolver, prepared statements
            cpu_per_request(app, batch, 30)
        fastest = dict.fromkeys(apps, float("inf"))
        for _ in range(args.repeat):
            for name, app in apps.items():
                us = cpu_per_request(app, batch, args.requests) * 1000  # ms -> us
                fastest[name] = min(fastest[name], us)
        full = fastest.pop("")
        print(f"{scenario}: {full:.0f} us per request with every middleware", file=sys.stderr)
        for name, without in sorted(fastest.items(), key=lambda item: item[1]):
            print(f"  {full - without:+6.0f} us  {name}", file=sys.stderr)


if __name__ == "__main__":
    main()
