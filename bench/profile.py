"""Profile one scenario's request in-process: `python bench/profile.py NAME [--requests N]`.

Calls Django's WSGI application directly, as gunicorn does, one request after another, under
pyinstrument, against the benchmark database; needs the server's environment (bench/README.md
shows the command). It logs in through the app for a token, as bench1 (bench6 for the
scenarios of the users who follow about 20), and deletes through the app the comments it wrote.
The app's request log goes to stdout as in production; the mean time per request and
pyinstrument's call tree go to stderr, and the tree as HTML to bench/results/profiles/NAME.html.
With --cpu, no profiler: the process's CPU per request goes to stdout (after the log).
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application
from pyinstrument import Profiler

from bench import scenarios as sc
from bench.seeding import BENCH_PASSWORD, HEAVY_FOLLOWERS, bench_username

PROFILES = Path(__file__).resolve().parent / "results" / "profiles"


def environ_for(method, path, token=None, body=None):
    path, _, query = path.partition("?")
    data = json.dumps(body).encode() if body is not None else b""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8765",
        "HTTP_HOST": "127.0.0.1:8765",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json" if body is not None else "",
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


class App:
    """Django's WSGI application, called as gunicorn calls it."""

    def __init__(self):
        self.application = get_wsgi_application()

    def call(self, method, path, token=None, body=None):
        statuses = []

        def start_response(status, headers, exc_info=None):
            statuses.append(int(status.split()[0]))

        content = b"".join(self.application(environ_for(method, path, token, body), start_response))
        return statuses[0], content


def requests_of(app, scenario):
    """The requests one iteration sends (like then unlike for like_unlike, follow then unfollow
    for follow_unfollow), with the answers expected. Signed in as bench1, or as the first bench
    user following about 20 for the scenarios of those users."""
    number = HEAVY_FOLLOWERS + 1 if scenario.users == "light" else 1
    credentials = {"username": bench_username(number), "password": BENCH_PASSWORD}
    status, content = app.call("POST", sc.LOGIN, body=credentials)
    if status != 200:
        raise SystemExit(f"login as {credentials['username']}: {status} {content[:200]!r}")
    token = json.loads(content)["access_token"]
    page = json.loads(app.call("GET", f"{sc.POSTS}?limit=100", token)[1])["results"]
    auth = token if scenario.auth else None
    if scenario.kind == "like":
        post = next(post["id"] for post in page if not post["voted"])
        return [
            ("POST", sc.VOTES, auth, {"post_id": post, "dir": 1}, 201),
            ("POST", sc.VOTES, auth, {"post_id": post, "dir": 0}, 200),
        ]
    if scenario.kind == "follow":
        # Users after the virtual ones (bench/load.py): one the caller does not follow.
        path = sc.follow_path(
            next(
                user
                for user in range(100, 1100)
                if not json.loads(app.call("GET", sc.profile_path(user), token)[1])["following"]
            )
        )
        return [("POST", path, auth, None, 201), ("DELETE", path, auth, None, 200)]
    if scenario.kind == "comment":
        body = {"content": "A comment from the benchmark's profile, deleted after it."}
        return [("POST", sc.comments_path(page[-1]["id"]), auth, body, 201)]
    if scenario.kind == "login":
        return [("POST", sc.LOGIN, None, credentials, 200)]
    if scenario.cycle == "posts":
        path = sc.detail_path(page[-1]["id"])
    elif scenario.cycle == "profiles":
        path = sc.profile_path(page[-1]["owner"]["id"])
    elif scenario.cycle == "comments":
        path = sc.comments_path(max(page, key=lambda post: post["comments_count"])["id"])
    elif scenario.deep:
        path = scenario.path
        for _ in range(sc.DEEP_PAGE - 1):
            link = urlsplit(json.loads(app.call("GET", path, token)[1])["next"])
            path = f"{link.path}?{link.query}"
    else:
        path = scenario.path
    return [("GET", path, auth, None, 200)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(sc.BY_NAME))
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="no profiler: print this process's CPU per request (what a lever in Python and its "
        "client side of Redis and PostgreSQL saves), for A/Bs of two trees run in turns",
    )
    args = parser.parse_args()
    scenario = sc.BY_NAME[args.scenario]
    app = App()
    batch = requests_of(app, scenario)
    written = []

    def send_all():
        for method, path, token, body, expect in batch:
            status, content = app.call(method, path, token, body)
            if status != expect:
                raise SystemExit(f"{method} {path}: {status}, not {expect}: {content[:200]!r}")
            if scenario.kind == "comment":
                written.append((token, json.loads(content)["id"]))

    for _ in range(20):  # warm: imports, URL resolver, connection
        send_all()
    if args.cpu:
        started = time.process_time()
        for _ in range(args.requests):
            send_all()
        per_request = (time.process_time() - started) / (args.requests * len(batch)) * 1000
        print(f"{scenario.name}: {per_request:.3f} ms of this process's CPU per request")
        return
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.requests):
            send_all()
    per_request = (time.perf_counter() - started) / (args.requests * len(batch)) * 1000
    report = profiler.output_text(unicode=True, color=False)
    print(
        f"{scenario.name}: {per_request:.2f} ms per request (profiled)\n{report}", file=sys.stderr
    )
    PROFILES.mkdir(parents=True, exist_ok=True)
    (PROFILES / f"{scenario.name}.html").write_text(profiler.output_html())
    # Through the API, so that each post's comments_count goes back to what it was.
    for token, comment in written:
        app.call("DELETE", f"/api/v1/comments/{comment}/", token)


if __name__ == "__main__":
    main()
