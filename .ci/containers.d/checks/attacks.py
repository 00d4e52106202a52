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
    """Clients that send slowly: a header line (or, for a quarter of them, a few bytes of a body)
    every 3 s, each connection replaced as soon as the server gives up on it."""
    host = args.host or hostport(args.base)[0]

    def header_start(sock):
        sock.sendall(f"GET /health/ HTTP/1.1\r\nHost: {host}\r\n".encode())

    def body_start(sock):
        sock.sendall(
            f"POST /api/v1/users/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Content-Length: 100000\r\n\r\n{".encode()
        )

    def trickle(chunk):
        def hold(sock, stop):
            while not stop.wait(3):
                sock.sendall(chunk())

        return hold

    def header_line():
        return f"X-Slow-{random.randrange(10**6)}: a\r\n".encode()  # noqa: S311 (not a secret)

    bodies = args.slow // 4
    clients = [(body_start, trickle(lambda: b"        "))] * bodies + [
        (header_start, trickle(header_line))
    ] * (args.slow - bodies)
    latencies, bad, stats = _held_while_probed(args, clients)
    figure(
        f"slowloris: {args.slow} slow connections ({args.slow - bodies} trickling headers, "
        f"{bodies} trickling a body), at least {min(stats['open_during'])} open at every probe, "
        f"{stats['opened']} opened in all over {args.seconds} s"
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


def _held_while_probed(args, clients):
    """A connection per (send, hold) of `clients`, open all along (opened again whenever the
    server drops it): it sends `send(sock)`, then `hold(sock, stop)` keeps it; meanwhile
    /health/ and the feed are probed for args.seconds. Their latencies, the bad probes, and
    how many connections were open."""
    host, port = hostport(args.base)
    stop = threading.Event()
    stats = {"open": 0, "opened": 0, "open_during": []}
    lock = threading.Lock()

    def client(send, hold):
        while not stop.is_set():
            try:
                sock = socket.create_connection((host, port), timeout=10)
                send(sock)
            except OSError:
                time.sleep(0.5)
                continue
            with lock:
                stats["open"] += 1
                stats["opened"] += 1
            try:
                hold(sock, stop)
            except OSError:
                pass
            finally:
                sock.close()
                with lock:
                    stats["open"] -= 1

    threads = [threading.Thread(target=client, args=pair, daemon=True) for pair in clients]
    for thread in threads:
        thread.start()
    time.sleep(4)  # every connection is open and has sent its request
    latencies, bad = _probe_while(args.base, args.seconds, stats)
    stop.set()
    for thread in threads:
        thread.join(timeout=6)
    return latencies, bad, stats


def cmd_slow_readers(args):
    """Clients that ask for a page of 100 large posts (about 8 MB) and never read the answer.

    With nothing in between, each holds a server thread until its socket buffers drain, that is
    for ever; a buffering proxy takes the answer from the API at once and holds it instead.
    """
    with open(args.state) as state_file:
        token = json.load(state_file)["users"][0]["access"]
    post_ids = _large_posts(args.base, token, 100)
    host = args.host or hostport(args.base)[0]

    def ask_for_a_large_page(sock):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(f"GET /api/v1/posts/?limit=100 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())

    def never_read(sock, stop):
        stop.wait(args.seconds + 10)  # the proxy may drop it meanwhile

    clients = [(ask_for_a_large_page, never_read)] * args.readers
    latencies, bad, stats = _held_while_probed(args, clients)
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
    host = args.host or hostport(args.base)[0]

    def one_request(sock):
        sock.sendall(f"GET /health/ HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        sock.recv(65536)

    def idle(sock, stop):
        # Idle until the server closes the connection (recv returns b"") or the end.
        sock.settimeout(args.seconds + 10)
        sock.recv(1)

    latencies, bad, stats = _held_while_probed(args, [(one_request, idle)] * args.idle)
    figure(
        f"idle keep-alive: {args.idle} connections idle after one request each, "
        f"{stats['opened']} opened over {args.seconds} s"
    )
    _report("idle keep-alive", latencies, bad, stats, args.idle)
