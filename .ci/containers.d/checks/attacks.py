"""Clients that hold connections rather than use them, each while /health/ and the feed are
asked twice a second: slow senders (slowloris), slow readers of large answers, idle keep-alive
connections. Through the proxy they must cost the API nothing."""

import json
import random
import socket
import threading
import time

from probe import bearer, call, check, figure, hostport


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
    stats["open_during"] = []
    latencies, bad = _probe_while(args.base, args.seconds, stats)
    stop.set()
    for thread in threads:
        thread.join(timeout=6)
    figure(
        f"slowloris: {args.slow} slow connections ({args.slow - args.slow // 4} trickling "
        f"headers, {args.slow // 4} trickling a body), at least {min(stats['open_during'])} open "
        f"at every probe, {stats['opened']} opened in all over {args.seconds} s"
    )
    _report("slowloris", latencies, bad, stats, args.slow)


def _probe_while(base, seconds, stats):
    """/health/ and the feed, twice a second for `seconds`: their latencies, and the probes that
    failed or took a second or more."""
    latencies = {"/health/": [], "/api/v1/posts/": []}
    bad = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in latencies:
            try:
                status, _, took, _ = call(base, "GET", path, timeout=5)
            except OSError as error:
                status, took = repr(error), 5.0
            latencies[path].append(took)
            if status != 200 or took >= 1:
                bad.append((path, status, round(took, 3)))
        stats["open_during"].append(stats["open"])
        time.sleep(0.5)
    return latencies, bad


def _report(name, latencies, bad, stats, wanted):
    for path, values in latencies.items():
        values.sort()
        figure(
            f"{name}: GET {path} x{len(values)}: median {values[len(values) // 2] * 1000:.0f} ms, "
            f"max {values[-1] * 1000:.0f} ms"
        )
    check(
        min(stats["open_during"]) >= wanted * 0.9,
        f"{name}: at least 90% of {wanted} connections open at every probe",
        min(stats["open_during"]),
    )
    check(not bad, f"{name}: every /health/ and feed probe answered 200 within 1 s", bad[:5])


def _large_posts(base, token, count):
    """`count` posts of the largest content allowed, in 4-byte characters: a page of 100 of them
    is about 8 MB of JSON. Their ids."""
    content = "\U0001f600" * 20_000
    ids = []
    for n in range(count):
        status, post, _, _ = call(
            base, "POST", "/api/v1/posts/", {"title": f"Large {n}", "content": content},
            headers=bearer(token), timeout=30,
        )  # fmt: skip
        if not check(status == 201, f"large post {n} 201", (status, str(post)[:200])):
            break
        ids.append(post["id"])
    return ids


def cmd_slow_readers(args):
    """Clients that ask for a page of 100 large posts (about 8 MB) and never read the answer.

    With nothing in between, each holds a server thread until its socket buffers drain, that is
    for ever; a buffering proxy takes the answer from the API at once and holds it instead.
    """
    with open(args.state) as state_file:
        token = json.load(state_file)["users"][0]["access"]
    host, port = hostport(args.base)
    post_ids = _large_posts(args.base, token, 100)
    stop = threading.Event()
    stats = {"open": 0, "opened": 0, "open_during": []}
    lock = threading.Lock()

    def reader():
        while not stop.is_set():
            try:
                sock = socket.create_connection((host, port), timeout=5)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(
                    f"GET /api/v1/posts/?limit=100 HTTP/1.1\r\nHost: {args.host or host}\r\n\r\n".encode()
                )
            except OSError:
                time.sleep(0.5)
                continue
            with lock:
                stats["open"] += 1
                stats["opened"] += 1
            stop.wait(args.seconds + 10)  # never reads; the proxy may drop it meanwhile
            sock.close()
            with lock:
                stats["open"] -= 1

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(args.readers)]
    for thread in threads:
        thread.start()
    time.sleep(4)  # every reader has asked for its page
    latencies, bad = _probe_while(args.base, args.seconds, stats)
    stop.set()
    for thread in threads:
        thread.join(timeout=6)
    figure(
        f"slow readers: {args.readers} connections each asking for 100 large posts (about 8 MB) "
        f"and reading nothing, {stats['opened']} opened over {args.seconds} s"
    )
    _report("slow readers", latencies, bad, stats, args.readers)
    for post_id in post_ids:
        call(args.base, "DELETE", f"/api/v1/posts/{post_id}/", headers=bearer(token), timeout=30)


def cmd_idle_keepalive(args):
    """Clients that make one request on a keep-alive connection, then keep it open, idle.

    A server with a few threads per process that keeps each idle connection has none left for
    new clients; a proxy holds the idle connections itself and opens its own per request.
    """
    host, port = hostport(args.base)
    stop = threading.Event()
    stats = {"open": 0, "opened": 0, "open_during": []}
    lock = threading.Lock()

    def idle_client():
        while not stop.is_set():
            try:
                sock = socket.create_connection((host, port), timeout=10)
                sock.sendall(f"GET /health/ HTTP/1.1\r\nHost: {args.host or host}\r\n\r\n".encode())
                sock.recv(65536)
            except OSError:
                time.sleep(0.5)
                continue
            with lock:
                stats["open"] += 1
                stats["opened"] += 1
            try:
                # Idle until the server closes the connection (recv returns b"") or the end.
                sock.settimeout(args.seconds + 10)
                sock.recv(1)
            except OSError:
                pass
            finally:
                sock.close()
                with lock:
                    stats["open"] -= 1

    threads = [threading.Thread(target=idle_client, daemon=True) for _ in range(args.idle)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    latencies, bad = _probe_while(args.base, args.seconds, stats)
    stop.set()
    figure(
        f"idle keep-alive: {args.idle} connections idle after one request each, "
        f"{stats['opened']} opened over {args.seconds} s"
    )
    _report("idle keep-alive", latencies, bad, stats, args.idle)
