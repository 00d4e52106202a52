"""Attacks on Agora as it runs in production: its gunicorn start command, DEBUG off, a
PostgreSQL cluster of the test's own (security/tests/servers.py), no Redis."""

import json
import random
import socket
import time

import pytest
import requests

from security.tests.servers import (
    REQUEST_TIMEOUT,
    Gunicorn,
    production_environment,
    running_cluster,
)

STATEMENT_TIMEOUT_MS = 500
PASSWORD = "an-attack-passphrase"


@pytest.fixture(scope="module")
def cluster():
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory):
    environment = production_environment(
        cluster.url,
        DATABASE_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT_MS),
        LOGIN_RATE_PER_IP="20/min",
        LOGIN_RATE_PER_ACCOUNT="5/min",
    )
    with Gunicorn(environment, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as gunicorn:
        yield gunicorn


def call(server, method, path, **kwargs):
    return requests.request(method, f"{server.base}{path}", timeout=REQUEST_TIMEOUT, **kwargs)


def sign_up(server, name):
    body = {"email": f"{name}@example.com", "password": PASSWORD}
    assert call(server, "POST", "/api/v1/users/", json=body).status_code == 201
    token = call(server, "POST", "/api/v1/auth/login/", json=body).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_statement_over_the_timeout_is_a_json_503_and_the_worker_goes_on(server, cluster):
    """A like waits for a row another transaction holds: PostgreSQL cancels it at
    DATABASE_STATEMENT_TIMEOUT, and the client gets a 503 to retry, not a hung worker."""
    auth = sign_up(server, "patient")
    post = call(server, "POST", "/api/v1/posts/", json={"title": "T", "content": "C"}, headers=auth)
    like = {"post_id": post.json()["id"], "dir": 1}

    with cluster.connect() as holder, holder.transaction():
        holder.execute("SELECT id FROM posts_post WHERE id = %s FOR UPDATE", [like["post_id"]])
        started = time.monotonic()
        cut_off = call(server, "POST", "/api/v1/votes/", json=like, headers=auth)
        waited = time.monotonic() - started

    assert cut_off.status_code == 503
    assert cut_off.json() == {"detail": "Service temporarily unavailable, try again shortly."}
    assert cut_off.headers["Retry-After"] == "5"
    assert STATEMENT_TIMEOUT_MS / 1000 <= waited < STATEMENT_TIMEOUT_MS / 1000 + 2
    assert call(server, "POST", "/api/v1/votes/", json=like, headers=auth).status_code == 201


def chunks(body: bytes, size=7):
    """A body that requests sends with Transfer-Encoding: chunked, as a generator."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_chunked_bodies_are_read_not_taken_for_empty(server):
    json_type = {"Content-Type": "application/json"}
    sign_up_body = json.dumps({"email": "chunky@example.com", "password": PASSWORD}).encode()

    signed_up = call(server, "POST", "/api/v1/users/", data=chunks(sign_up_body), headers=json_type)
    form = f"username=chunky@example.com&password={PASSWORD}".encode()
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    logged_in = call(server, "POST", "/api/v1/auth/login/", data=chunks(form), headers=form_type)
    auth = {"Authorization": f"Bearer {logged_in.json()['access_token']}", **json_type}
    post = call(
        server, "POST", "/api/v1/posts/", json={"title": "Before", "content": "C"}, headers=auth
    )
    patched = call(
        server, "PATCH", f"/api/v1/posts/{post.json()['id']}/",
        data=chunks(b'{"title": "After"}'), headers=auth,
    )  # fmt: skip

    assert signed_up.status_code == 201, signed_up.text
    assert logged_in.status_code == 200, logged_in.text
    assert (patched.status_code, patched.json()["title"]) == (200, "After")
    assert call(server, "GET", f"/api/v1/posts/{post.json()['id']}/").json()["title"] == "After"


def test_a_chunked_body_over_the_limit_is_413(server):
    body = json.dumps({"email": "big@example.com", "password": "x" * 300_000}).encode()

    response = call(
        server,
        "POST",
        "/api/v1/users/",
        data=chunks(body, 64 * 1024),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}


def test_huge_unique_login_identifiers_leave_memory_and_the_log_flat(server):
    """300 logins from one address, each naming a new 200 KB identifier: every one a 400 or a
    429, and neither the workers' memory nor the log grows with them. (Last in this module: it
    spends the address's login allowance.) A first burst of the same size warms the workers up:
    their allocators keep about 20 MiB for bodies that size, once."""
    with requests.Session() as session:

        def attempt(n):
            body = {"username": f"{n:06d}" + "x" * 200_000, "password": "a-guess"}
            url = f"{server.base}/api/v1/auth/login/"
            return session.post(url, json=body, timeout=REQUEST_TIMEOUT).status_code

        warm_up = [attempt(n) for n in range(300)]
        memory_before, log_before = server.memory_kib(), server.log_path.stat().st_size
        statuses = [attempt(n) for n in range(300, 600)]
        memory_after, log_after = server.memory_kib(), server.log_path.stat().st_size

    assert set(warm_up) | set(statuses) <= {400, 429}
    assert statuses.count(429) == 300
    growth_kib = [after - before for before, after in zip(memory_before, memory_after, strict=True)]
    assert max(growth_kib) < 8 * 1024, growth_kib
    assert log_after - log_before < 16 * 1024, log_after - log_before


MALFORMED_CHUNKED = {
    "a chunk size that is not hexadecimal": b"zz\r\n{}\r\n0\r\n\r\n",
    "a bare CR in a chunk extension": b"2;a\rb\r\n{}\r\n0\r\n\r\n",
    "a chunk without its CRLF": b"2\r\n{}XX0\r\n\r\n",
    "a body cut off mid-chunk": b"10\r\n{}",
}


@pytest.mark.parametrize("body", MALFORMED_CHUNKED.values(), ids=MALFORMED_CHUNKED.keys())
def test_a_malformed_chunked_body_is_400_with_no_traceback(server, body):
    """gunicorn raises its own parse errors while the body middleware reads the chunks: each is
    the client's broken framing, a 400, and nothing in the error log."""
    log_before = server.log_path.stat().st_size
    request = (
        b"POST /api/v1/posts/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=REQUEST_TIMEOUT) as client:
        client.sendall(request)
        client.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk

    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b"The chunked request body is malformed:" in rest
    time.sleep(0.2)
    with server.log_path.open("rb") as log:
        log.seek(log_before)
        assert b"Traceback" not in log.read()


ORDERINGS = [
    "",
    *(f"{sign}{field}" for field in ("created_at", "votes") for sign in ("", "-")),
    *(
        f"{a_sign}{a},{b_sign}{b}"
        for a, b in (("created_at", "votes"), ("votes", "created_at"))
        for a_sign in ("", "-")
        for b_sign in ("", "-")
    ),
]


def test_thousands_of_distinct_pages_and_orderings_leave_memory_flat(server, cluster):
    """Thousands of distinct (offset, limit, ordering) from anonymous clients, half of them with
    the long, repeating orderings of the attack (`votes,-votes,votes,...`, which are now 400s):
    what each worker keeps of them (compiled queries, counts) is bounded, so its memory stays
    flat. (Before, each new page or ordering was compiled and kept for good: up to 10 KB each.)"""
    with cluster.connect() as connection:  # enough posts for every offset to read a page
        owner = connection.execute(
            "INSERT INTO accounts_user (password, is_superuser, email, username, is_active, "
            "is_staff, created_at, token_version, display_name, bio, followers_count, "
            "following_count) "
            "VALUES ('!', false, 'pages@example.com', 'pages', true, false, now(), 0, '', '', 0, 0) "
            "RETURNING id"
        ).fetchone()[0]
        connection.execute(
            "INSERT INTO posts_post (title, content, published, created_at, updated_at, "
            "published_at, votes, comments_count, owner_id) "
            "SELECT 'Page ' || n, 'C', true, now(), now(), now(), 0, 0, %s "
            "FROM generate_series(1, 1000) AS n",
            [owner],
        )
    rng = random.Random(16)
    terms = ["votes", "-votes", "created_at", "-created_at"]

    def pages(numbers):
        statuses = set()
        with requests.Session() as session:
            for n in numbers:
                params = {"offset": n % 997, "limit": 1 + n % 100}
                if n % 2:
                    params["ordering"] = ",".join(rng.choices(terms, k=rng.randint(20, 300)))
                elif ORDERINGS[n % len(ORDERINGS)]:
                    params["ordering"] = ORDERINGS[n % len(ORDERINGS)]
                url = f"{server.base}/api/v1/posts/"
                statuses.add(session.get(url, params=params, timeout=REQUEST_TIMEOUT).status_code)
        return statuses

    pages(range(600))  # every kind of shape once, and the workers' allocators warmed up
    # Two windows of 1,200 new pages each. What keeps client input grows in every window (the
    # old code: 14 MB over both, about 7 MB in each); the allocator may also take a block of a
    # few MB at some moment for good (a thread's new arena: seen once in a few runs, in one
    # window), which is not growth with the input. So a worker's growth is its smaller window's.
    memory = [server.memory_kib()]
    statuses = pages(range(600, 1800))
    memory.append(server.memory_kib())
    statuses |= pages(range(1800, 3000))
    memory.append(server.memory_kib())

    # 503: a statement over this module's 0.5 s timeout, which a busy machine can reach.
    assert statuses <= {200, 400, 503}
    windows = [
        [after - before for before, after in zip(memory[k], memory[k + 1], strict=True)]
        for k in (0, 1)
    ]
    growth_kib = [min(first, second) for first, second in zip(*windows, strict=True)]
    assert max(growth_kib) < 4 * 1024, windows
