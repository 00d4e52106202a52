"""Steady load while something happens to the stack, and what it saw afterwards."""

import http.client
import json
import os
import random
import threading
import time
import uuid

from probe import bearer, check, container_names, figure, hostport, upstreams_by_request


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
