"""HTTP checks and bounded loads for .ci/containers, against the stack's published port.

Standard library only. Every loop is bounded in count and in time; every request has a timeout.
Each subcommand prints `ok ...` / `FAIL ...` lines and `figure: ...` lines (collected into the
step's summary), and exits 1 if any check failed.

    checks.py wait BASE [--seconds N]            until GET /health/ answers 200
    checks.py seed BASE STATE [--users N]        users with tokens and posts, kept in STATE
    checks.py data-check BASE STATE              the seeded user logs in, its post is still there
    checks.py slowloris BASE [--slow N]          slow clients held open while /health/ and the feed answer
    checks.py load BASE OUT --stop-file F        steady load until F exists (or --max-seconds)
    checks.py load-report OUT [--name NAME]      what a load saw: answers, errors, 5xx, retries
    checks.py limits BASE STATE                  login limits and a revoked token, across servers
"""

import argparse
import http.client
import json
import os
import random
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

FAILED = []


def ok(message):
    print(f"ok    {message}", flush=True)


def fail(message):
    FAILED.append(message)
    print(f"FAIL  {message}", flush=True)


def check(condition, message, detail=""):
    if condition:
        ok(message)
    else:
        fail(f"{message} {detail}".rstrip())
    return condition


def figure(text):
    print(f"figure: {text}", flush=True)


def hostport(base):
    url = urllib.parse.urlsplit(base)
    return url.hostname, url.port or 80


def call(base, method, path, body=None, headers=None, timeout=10):
    """(status, body, seconds, request id) of one request on a new connection."""
    host, port = hostport(base)
    request_id = uuid.uuid4().hex
    # CHECK_HOST: the Host header to send when the address is not an allowed host (api:8000).
    sent = {
        "X-Request-ID": request_id,
        "Host": os.environ.get("CHECK_HOST", host),
        **(headers or {}),
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    start = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
    finally:
        connection.close()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = raw[:200]
    return status, answer, time.monotonic() - start, request_id


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# ---- wait -----------------------------------------------------------------------------------


def cmd_wait(args):
    deadline = time.monotonic() + args.seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = call(args.base, "GET", "/health/", timeout=3)[:2]
            if last[0] == 200:
                ok(f"GET /health/ 200 through the proxy {last[1]}")
                return
        except OSError as error:
            last = repr(error)
        time.sleep(0.5)
    fail(f"GET /health/ did not answer 200 within {args.seconds} s: {last}")


# ---- seed and data-check --------------------------------------------------------------------


def cmd_seed(args):
    run = uuid.uuid4().hex[:8]
    users = []
    for n in range(args.users):
        email = f"ci-{run}-{n}@example.com"
        password = f"ci-pass-{uuid.uuid4().hex}"
        status, answer, _, _ = call(
            args.base,
            "POST",
            "/api/v1/users/",
            {"email": email, "password": password, "username": f"ci{run}u{n}"},
        )
        if not check(status == 201, f"sign-up {email} 201", (status, answer)):
            return
        status, pair, _, _ = call(
            args.base, "POST", "/api/v1/auth/login/", {"username": email, "password": password}
        )
        if not check(status == 200, f"login {email} 200", (status, pair)):
            return
        users.append(
            {
                "email": email,
                "password": password,
                "access": pair["access_token"],
                "refresh": pair["refresh_token"],
            }
        )
    posts = []
    for n in range(args.posts):
        owner = users[n % len(users)]
        status, post, _, _ = call(
            args.base,
            "POST",
            "/api/v1/posts/",
            {
                "title": f"CI post {run} {n}",
                "content": "Written through the proxy.",
                "published": True,
            },
            headers=bearer(owner["access"]),
        )
        if not check(
            status == 201,
            f"POST /api/v1/posts/ 201 ({post.get('id') if isinstance(post, dict) else post})",
            (status, post),
        ):
            return
        posts.append(post["id"])
    with open(args.state, "w") as out:
        json.dump({"users": users, "posts": posts}, out)


def log_in(args, user):
    """A login as `user` (as made by the data step): its status and answer."""
    body = {"username": user["email"], "password": user["password"]}
    status, pair, _, _ = call(args.base, "POST", "/api/v1/auth/login/", body)
    return status, pair


def cmd_data_check(args):
    with open(args.state) as state_file:
        state = json.load(state_file)
    user = state["users"][0]
    status, pair = log_in(args, user)
    check(status == 200, f"the user made before still logs in ({user['email']})", (status, pair))
    for post_id in state["posts"]:
        status, post, _, _ = call(args.base, "GET", f"/api/v1/posts/{post_id}/")
        check(
            status == 200 and post["id"] == post_id,
            f"GET /api/v1/posts/{post_id}/ 200: the post made before is still there",
            (status, post),
        )


# ---- slowloris ------------------------------------------------------------------------------


def cmd_slowloris(args):
    host, port = hostport(args.base)
    stop = threading.Event()
    stats = {"open": 0, "max_open": 0, "opened": 0, "closed_by_server": 0}
    lock = threading.Lock()

    def slow_client(body):
        # Holds one connection that trickles a header line (or a body chunk) every 3 s; when the
        # server gives up on it, another takes its place: N are open all along.
        while not stop.is_set():
            try:
                sock = socket.create_connection((host, port), timeout=5)
            except OSError:
                time.sleep(0.5)
                continue
            with lock:
                stats["open"] += 1
                stats["opened"] += 1
                stats["max_open"] = max(stats["max_open"], stats["open"])
            try:
                if body:
                    sock.sendall(
                        f"POST /api/v1/users/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100000\r\n\r\n{".encode()
                    )
                else:
                    sock.sendall(f"GET /health/ HTTP/1.1\r\nHost: {host}\r\n".encode())
                while not stop.wait(3):
                    line = f"X-Slow-{random.randrange(10**6)}: a\r\n"  # noqa: S311 (not a secret)
                    sock.sendall(b"        " if body else line.encode())
            except OSError:
                with lock:
                    stats["closed_by_server"] += 1
            finally:
                sock.close()
                with lock:
                    stats["open"] -= 1

    threads = [
        threading.Thread(target=slow_client, args=(n < args.slow // 4,), daemon=True)
        for n in range(args.slow)
    ]
    for thread in threads:
        thread.start()
    time.sleep(4)  # every slow connection is open and has sent its first bytes
    latencies = {"/health/": [], "/api/v1/posts/": []}
    bad = []
    open_during = []
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        for path in latencies:
            try:
                status, _, seconds, _ = call(args.base, "GET", path, timeout=5)
            except OSError as error:
                status, seconds = repr(error), 5.0
            latencies[path].append(seconds)
            if status != 200 or seconds >= 1:
                bad.append((path, status, round(seconds, 3)))
        open_during.append(stats["open"])
        time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=6)
    figure(
        f"slowloris: {args.slow} slow connections ({args.slow - args.slow // 4} trickling headers, {args.slow // 4} "
        f"trickling a body), at least {min(open_during)} open at every probe, {stats['opened']} opened in all over {args.seconds} s"
    )
    for path, values in latencies.items():
        values.sort()
        figure(
            f"slowloris: GET {path} x{len(values)}: median {values[len(values) // 2] * 1000:.0f} ms, "
            f"max {values[-1] * 1000:.0f} ms"
        )
    check(
        min(open_during) >= args.slow * 0.9,
        f"at least 90% of {args.slow} slow connections open at every probe",
        min(open_during),
    )
    check(not bad, "every /health/ and feed probe answered 200 within 1 s", bad[:5])


# ---- steady load ----------------------------------------------------------------------------


def cmd_load(args):
    """Threads loop until the stop file exists (or --max-seconds): reads, or, with --state,
    the feed and likes with the seeded users' tokens. Every answer is written to OUT."""
    state = None
    if args.state:
        with open(args.state) as state_file:
            state = json.load(state_file)
    host, port = hostport(args.base)
    results = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.max_seconds

    def worker(n):
        rng = random.Random(n)  # noqa: S311 (a load pattern, not a secret)
        connection = None
        liked = []
        while time.monotonic() < deadline and not os.path.exists(args.stop_file):
            if state:
                user = state["users"][n % len(state["users"])]
                choice = rng.random()
                if choice < 0.5:
                    method, path, body = "GET", "/api/v1/posts/", None
                elif liked and choice < 0.75:
                    method, path, body = (
                        "POST",
                        "/api/v1/votes/",
                        {"post_id": liked.pop(), "dir": 0},
                    )
                else:
                    post_id = rng.choice(state["posts"])
                    if post_id in liked:
                        continue
                    method, path, body = "POST", "/api/v1/votes/", {"post_id": post_id, "dir": 1}
                headers = {**bearer(user["access"]), "Content-Type": "application/json"}
            else:
                method, path, body = "GET", rng.choice(["/health/", "/api/v1/posts/"]), None
                headers = {}
            request_id = uuid.uuid4().hex
            headers.update({"Host": host, "X-Request-ID": request_id})
            start = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(host, port, timeout=15)
                connection.request(
                    method, path, body=json.dumps(body).encode() if body else None, headers=headers
                )
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}: {error}"
                if connection is not None:
                    connection.close()
                connection = None
            if state and method == "POST" and status in (200, 201) and body["dir"] == 1:
                liked.append(body["post_id"])
            with lock:
                results.append(
                    [
                        round(start, 3),
                        method,
                        path,
                        status,
                        round(time.monotonic() - start, 4),
                        request_id,
                    ]
                )
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(args.out, "w") as out:
        json.dump(results, out)


def docker(command, *args):
    """Output of a docker command: COMMAND is `docker` or a `docker compose ...` prefix."""
    return subprocess.run(  # noqa: S603 (docker, with this script's own arguments)
        [*shlex.split(command), *args], capture_output=True, text=True, timeout=60
    ).stdout


def upstreams_by_request(compose):
    """request id -> the upstream addresses nginx tried, from the proxy's access log."""
    logs = docker(compose, "logs", "--no-log-prefix", "proxy")
    found = {}
    for line in logs.splitlines():
        if "request_id=" in line and "upstream=" in line:
            upstream = line.split("upstream=", 1)[1].split(" upstream_status=", 1)[0]
            found[line.rsplit("request_id=", 1)[1].strip()] = upstream
    return found


def container_names(compose):
    """container address -> service-numbered name (api-1, ...), for the api containers."""
    names = {}
    for container in docker(compose, "ps", "-q", "api").split():
        out = docker(
            shutil.which("docker") or "docker",
            "inspect",
            "-f",
            "{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
            container,
        ).split()
        for address in out[1:]:
            names[f"{address}:8000"] = (
                out[0].lstrip("/").rsplit("-", 2)[-2] + "-" + out[0].rsplit("-", 1)[-1]
            )
    return names


def cmd_load_report(args):
    with open(args.out) as results_file:
        results = json.load(results_file)
    if not check(results, f"{args.name}: the load sent requests"):
        return
    by_status = {}
    for row in results:
        by_status[str(row[3])] = by_status.get(str(row[3]), 0) + 1
    errors = [row for row in results if not (isinstance(row[3], int) and row[3] < 400)]
    server_errors = [row for row in results if not isinstance(row[3], int) or row[3] >= 500]
    seconds = max(row[0] for row in results) - min(row[0] for row in results)
    latencies = sorted(row[4] for row in results)
    retried = 0
    spread = {}
    if args.compose:
        upstreams = upstreams_by_request(args.compose)
        names = container_names(args.compose)
        for row in results:
            tried = upstreams.get(row[5], "")
            if "," in tried:
                retried += 1
            last = tried.split(",")[-1].strip().split(" : ")[-1]
            if last:
                name = names.get(last, f"removed {last}")
                spread[name] = spread.get(name, 0) + 1
    figure(
        f"{args.name}: {len(results)} requests in {seconds:.0f} s ({len(results) / max(seconds, 1):.0f}/s), "
        f"answers {dict(sorted(by_status.items()))}, p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        + (
            f", retried by nginx on another server: {retried}, answered by {dict(sorted(spread.items()))}"
            if args.compose
            else ""
        )
    )
    if args.expect_servers:
        check(
            len(spread) >= args.expect_servers,
            f"{args.name}: answered by {args.expect_servers} API containers",
            spread,
        )
    if args.no_errors:
        check(
            not errors,
            f"{args.name}: no request lost or failed (no error status, no connection error)",
            errors[:5],
        )
    else:
        check(not server_errors, f"{args.name}: no 5xx and no connection error", server_errors[:5])


# ---- login limits and revoked tokens across servers ----------------------------------------


def cmd_limits(args):
    with open(args.state) as state_file:
        state = json.load(state_file)
    names = container_names(args.compose)

    def served_by(request_ids):
        upstreams = upstreams_by_request(args.compose)
        spread = {}
        for request_id in request_ids:
            last = upstreams.get(request_id, "?").split(",")[-1].strip()
            name = names.get(last, last)
            spread[name] = spread.get(name, 0) + 1
        return dict(sorted(spread.items()))

    def login_attempts(attempts):
        """Wrong-password logins, each (body, forged X-Forwarded-For): their statuses, which
        API containers answered, and how many got past the limits (anything but 429)."""
        answers, ids = [], []
        for body, forwarded_for in attempts:
            status, _, _, request_id = call(
                args.base, "POST", "/api/v1/auth/login/", body,
                headers={"X-Forwarded-For": forwarded_for},
            )  # fmt: skip
            answers.append(status)
            ids.append(request_id)
        return answers, served_by(ids), sum(1 for status in answers if status != 429)

    # A revoked refresh token: logged out, then refused by every server.
    user = state["users"][0]
    status, pair = log_in(args, user)
    check(status == 200, "login for the revocation test 200", (status, pair))
    status, _, _, _ = call(
        args.base,
        "POST",
        "/api/v1/auth/logout/",
        {"refresh_token": pair["refresh_token"]},
        headers=bearer(pair["access_token"]),
    )
    check(status == 204, "logout of the refresh token 204", status)
    answers, ids = [], []
    for _ in range(args.tries):
        status, _, _, request_id = call(
            args.base, "POST", "/api/v1/auth/refresh/", {"refresh_token": pair["refresh_token"]}
        )
        answers.append(status)
        ids.append(request_id)
    spread = served_by(ids)
    figure(f"revoked refresh token: {args.tries} refreshes answered {answers}, served by {spread}")
    check(
        all(status == 401 for status in answers),
        f"the revoked refresh token is refused 401 {args.tries} times out of {args.tries}",
        answers,
    )
    check(len(spread) >= 2, "the refreshes were answered by more than one API container", spread)

    # Per account: wrong passwords for one account, from one client, spread over the servers.
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")
    target = state["users"][1]["email"]
    answers, spread, allowed = login_attempts(
        ({"username": target, "password": f"wrong-{n}"}, f"203.0.113.{n + 1}")
        for n in range(args.account_tries)
    )
    figure(
        f"login limit per account (5/min): {args.account_tries} wrong passwords -> {allowed} answered 401, the rest 429 {answers}; served by {spread}"
    )
    check(
        allowed <= 5
        and answers.count(429) == args.account_tries - allowed
        and set(answers) <= {401, 429},
        "at most 5 attempts per account get past the limit, whichever server answers",
        answers,
    )
    check(len(spread) >= 2, "the attempts were answered by more than one API container", spread)

    # Per client address: many accounts, each attempt with another forged X-Forwarded-For.
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")
    answers, spread, allowed = login_attempts(
        ({"username": f"nobody-{n}@example.com", "password": "wrong"}, f"198.51.100.{n + 1}")
        for n in range(args.ip_tries)
    )
    figure(
        f"login limit per client address (20/min): {args.ip_tries} attempts on {args.ip_tries} accounts with forged X-Forwarded-For -> {allowed} answered 401, {answers.count(429)} 429; served by {spread}"
    )
    check(
        allowed <= 20 and answers.count(429) >= args.ip_tries - 20 and set(answers) <= {401, 429},
        "at most 20 attempts per client address get past the limit; a forged X-Forwarded-For does not reset it",
        answers,
    )
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("wait")
    p.add_argument("base")
    p.add_argument("--seconds", type=int, default=120)
    p = sub.add_parser("seed")
    p.add_argument("base")
    p.add_argument("state")
    p.add_argument("--users", type=int, default=4)
    p.add_argument("--posts", type=int, default=4)
    p = sub.add_parser("data-check")
    p.add_argument("base")
    p.add_argument("state")
    p = sub.add_parser("slowloris")
    p.add_argument("base")
    p.add_argument("--slow", type=int, default=64)
    p.add_argument("--seconds", type=int, default=20)
    p = sub.add_parser("load")
    p.add_argument("base")
    p.add_argument("out")
    p.add_argument("--stop-file", required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--max-seconds", type=int, default=300)
    p.add_argument("--state")
    p = sub.add_parser("load-report")
    p.add_argument("out")
    p.add_argument("--name", default="load")
    p.add_argument("--compose", default="")
    p.add_argument("--no-errors", action="store_true", help="any error status fails, not only 5xx")
    p.add_argument(
        "--expect-servers", type=int, default=0, help="at least this many API containers answered"
    )
    p = sub.add_parser("limits")
    p.add_argument("base")
    p.add_argument("state")
    p.add_argument("--compose", required=True)
    p.add_argument("--tries", type=int, default=9)
    p.add_argument("--account-tries", type=int, default=12)
    p.add_argument("--ip-tries", type=int, default=30)
    args = parser.parse_args()
    {
        "wait": cmd_wait,
        "seed": cmd_seed,
        "data-check": cmd_data_check,
        "slowloris": cmd_slowloris,
        "load": cmd_load,
        "load-report": cmd_load_report,
        "limits": cmd_limits,
    }[args.command](args)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
