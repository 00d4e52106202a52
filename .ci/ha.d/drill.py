"""HTTP side of the failover drill (.ci/ha-drill): users and posts, a bounded like-and-read load
through nginx, and what the load saw set against what the database stored. The backup drill
(.ci/backup-drill) writes its data with the same seed and load.

Standard library only. Every loop is bounded in count and in time; every request has a timeout.
Prints `ok ...` / `FAIL ...` and `figure: ...` lines; exits 1 if any check failed.

    drill.py wait BASE [--seconds N]               until GET /health/ answers 200
    drill.py seed BASE STATE --users N --posts N   users with tokens, and posts to like
    drill.py load BASE STATE LOG --stop-file F     likes and reads until F exists (or --max-seconds)
    drill.py outage LOG --phase-start S --since T --name NAME
                                                   likes and reads around the failure at time T
    drill.py likes LOG VOTES                       acknowledged likes against the stored rows
"""

import argparse
import http.client
import itertools
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

# The report of every CI check (.ci/containers.d/checks/probe.py): `ok`, `FAIL` and figures.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "containers.d" / "checks"))
from probe import FAILED, fail, figure, ok


class Client:
    """One keep-alive connection to the proxy, opened again after any error, as a client would."""

    def __init__(self, base, timeout=10):
        url = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = url.hostname, url.port or 80, timeout
        self.connection = None

    def call(self, method, path, body=None, token=None):
        """(status, answer): status 0 when no HTTP answer came (the error's name is the answer)."""
        headers = {"Host": self.host, "X-Request-ID": uuid.uuid4().hex}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, type(error).__name__
        if response.will_close:
            self.close()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw[:200].decode(errors="replace")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def cmd_wait(args):
    client, deadline, last = Client(args.base, timeout=3), time.monotonic() + args.seconds, None
    while time.monotonic() < deadline:
        last = client.call("GET", "/health/")
        if last[0] == 200:
            ok(f"GET /health/ 200 through nginx {last[1]}")
            return
        time.sleep(0.5)
    fail(f"GET /health/ did not answer 200 within {args.seconds} s: {last}")


def cmd_seed(args):
    # Sign-up and login hash a password each (Argon2id, on purpose slow): room for a loaded machine.
    client, run, users, posts = Client(args.base, timeout=30), uuid.uuid4().hex[:8], [], []
    for n in range(args.users):
        email, password = f"ha-{run}-{n}@example.com", f"ha-pass-{uuid.uuid4().hex}"
        status, user = client.call("POST", "/api/v1/users/", {"email": email, "password": password})
        if status != 201:
            return fail(f"sign-up {email}: {status} {user}")
        status, pair = client.call(
            "POST", "/api/v1/auth/login/", {"username": email, "password": password}
        )
        if status != 200:
            return fail(f"login {email}: {status} {pair}")
        users.append({"id": user["id"], "token": pair["access_token"]})
    for n in range(args.posts):
        body = {"title": f"HA drill {run} {n}", "content": "Liked under failover."}
        status, post = client.call("POST", "/api/v1/posts/", body, users[n % len(users)]["token"])
        if status != 201:
            return fail(f"POST /api/v1/posts/: {status} {post}")
        posts.append(post["id"])
    with open(args.state, "w") as out:
        json.dump({"users": users, "posts": posts}, out)
    ok(f"{len(users)} users and {len(posts)} posts made through nginx")


def cmd_load(args):
    """Likers and readers until the stop file appears. Each liker walks its own (user, post)
    pairs, none shared, and asks again for a like that got no answer or a 5xx, as a client
    would: a 201 is an acknowledged like, a 409 one stored by an earlier try."""
    with open(args.state) as state_file:
        state = json.load(state_file)
    users, posts = state["users"], state["posts"]
    # A later phase goes on with the likes no earlier phase got an answer for.
    answered = set()
    if os.path.exists(args.log):
        answered = {
            (entry["user"], entry["post"])
            for entry in _entries(args.log)
            if entry["kind"] == "like" and entry["status"] in (201, 409)
        }
    pairs = [
        (user["id"], user["token"], post)
        for user in users
        for post in posts
        if (user["id"], post) not in answered
    ]
    random.Random(len(answered)).shuffle(pairs)  # noqa: S311 (a load pattern, not a secret)
    log, lock, deadline = [], threading.Lock(), time.monotonic() + args.max_seconds

    def running():
        return time.monotonic() < deadline and not os.path.exists(args.stop_file)

    def record(kind, sent, status, **more):
        with lock:
            log.append({"kind": kind, "sent": sent, "done": time.time(), "status": status, **more})

    def liker(mine):
        client = Client(args.base)
        for user_id, token, post in mine:
            while running():
                sent = time.time()
                status, _ = client.call(
                    "POST", "/api/v1/votes/", {"post_id": post, "dir": 1}, token
                )
                record("like", sent, status, user=user_id, post=post)
                if status in (201, 409) or 400 <= status < 500:
                    break
                time.sleep(args.pause)
            if not running():
                return
            time.sleep(args.pause)

    def reader(n):
        client, rng = Client(args.base), random.Random(n)  # noqa: S311 (a load pattern)
        while running():
            user = rng.choice(users)
            choice = rng.randrange(3)
            if choice == 0:
                path, token = "/api/v1/posts/?limit=10", None
            elif choice == 1:
                path, token = "/api/v1/posts/?limit=10", user["token"]
            else:
                path, token = f"/api/v1/users/{rng.choice(users)['id']}/", user["token"]
            sent = time.time()
            status, _ = client.call("GET", path, token=token)
            record("read", sent, status, path=path.split("?")[0])
            time.sleep(args.pause)

    threads = [
        threading.Thread(target=liker, args=(pairs[n :: args.likers],)) for n in range(args.likers)
    ] + [threading.Thread(target=reader, args=(n,)) for n in range(args.readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(args.log, "a") as out:
        for entry in log:
            out.write(json.dumps(entry) + "\n")
    likes = sum(entry["kind"] == "like" for entry in log)
    print(f"load: {len(log)} requests ({likes} likes, {len(log) - likes} reads)", flush=True)


def _entries(path):
    with open(path) as lines:
        return [json.loads(line) for line in lines]


def _without_success(entries, since):
    """The longest time, from `since` on, in which none of these requests succeeded: from the
    last success before it to the next one, and so on. None when nothing succeeded after it."""
    done = sorted(entry["done"] for entry in entries if entry["status"] in (200, 201, 409))
    before = [moment for moment in done if moment < since]
    marks = [before[-1] if before else since] + [moment for moment in done if moment >= since]
    if len(marks) < 2:
        return None
    return max(later - earlier for earlier, later in itertools.pairwise(marks))


def _failed(entries):
    return [entry for entry in entries if entry["status"] >= 500 or entry["status"] == 0]


def cmd_outage(args):
    """One phase of the load (the entries sent from --phase-start on): how long likes and reads
    went without a success from the failure on, and how many failed."""
    entries = [entry for entry in _entries(args.log) if entry["sent"] >= args.phase_start]
    likes = [entry for entry in entries if entry["kind"] == "like"]
    reads = [entry for entry in entries if entry["kind"] == "read"]
    write_gap, read_gap = _without_success(likes, args.since), _without_success(reads, args.since)
    by_status = {}
    for entry in _failed(entries):
        status = entry["status"] or "no answer"
        by_status[status] = by_status.get(status, 0) + 1
    if write_gap is None:
        return fail(f"{args.name}: no like was acknowledged after the failure")
    reads_back = "never back" if read_gap is None else f"{read_gap:.1f} s without a read"
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items(), key=str))
    figure(
        f"{args.name}: {write_gap:.1f} s without an acknowledged like; {reads_back}; "
        f"{len(_failed(likes))} of {len(likes)} likes and {len(_failed(reads))} of {len(reads)} "
        f"reads failed ({statuses or 'none'})"
    )
    if write_gap <= args.target:
        ok(f"{args.name}: likes acknowledged again within {args.target} s ({write_gap:.1f} s)")
    else:
        print(
            f"info  {args.name}: {write_gap:.1f} s without an acknowledged like, over the "
            f"{args.target} s target (a missed target, not a lost write)",
            flush=True,
        )
    if read_gap is None or read_gap > write_gap + 1:
        fail(f"{args.name}: reads failed longer than writes ({reads_back})")


def cmd_likes(args):
    """Every acknowledged like is stored; the in-doubt ones (no answer, or a 5xx) may or may not
    be, and any stored like was at least asked for."""
    entries = [entry for entry in _entries(args.log) if entry["kind"] == "like"]
    acknowledged = {(e["user"], e["post"]) for e in entries if e["status"] == 201}
    confirmed = {(e["user"], e["post"]) for e in entries if e["status"] == 409}
    asked = {(e["user"], e["post"]) for e in entries}
    with open(args.votes) as votes:
        stored = {tuple(int(n) for n in line.split(",")) for line in votes if line.strip()}
    lost = acknowledged - stored
    figure(
        f"likes: {len(acknowledged)} acknowledged (201), {len(stored)} stored, "
        f"{len(acknowledged - lost)} of the acknowledged found, {len(lost)} lost; "
        f"{len(confirmed)} answered 409 after an earlier try got no answer or a 5xx; "
        f"{len(stored - acknowledged)} stored without a 201"
    )
    if lost:
        fail(f"{len(lost)} acknowledged likes are not stored: {sorted(lost)[:10]}")
    else:
        ok(f"no acknowledged like lost ({len(acknowledged)} of {len(acknowledged)} stored)")
    if confirmed - stored:
        fail(f"likes answered 409 but not stored: {sorted(confirmed - stored)[:10]}")
    if stored - asked:
        fail(f"likes stored that nobody asked for: {sorted(stored - asked)[:10]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    wait = commands.add_parser("wait")
    wait.add_argument("base")
    wait.add_argument("--seconds", type=float, default=120)
    seed = commands.add_parser("seed")
    seed.add_argument("base")
    seed.add_argument("state")
    seed.add_argument("--users", type=int, default=40)
    seed.add_argument("--posts", type=int, default=100)
    load = commands.add_parser("load")
    load.add_argument("base")
    load.add_argument("state")
    load.add_argument("log")
    load.add_argument("--stop-file", required=True)
    load.add_argument("--max-seconds", type=float, default=180)
    load.add_argument("--likers", type=int, default=4)
    load.add_argument("--readers", type=int, default=4)
    # Between two requests of one client thread: a steady load that leaves the 2-core machine
    # room for etcd's and Patroni's own timing.
    load.add_argument("--pause", type=float, default=0.05)
    outage = commands.add_parser("outage")
    outage.add_argument("log")
    outage.add_argument("--phase-start", type=float, required=True)
    outage.add_argument("--since", type=float, required=True)
    outage.add_argument("--name", required=True)
    outage.add_argument("--target", type=float, default=15)
    likes = commands.add_parser("likes")
    likes.add_argument("log")
    likes.add_argument("votes")
    args = parser.parse_args()
    {
        "wait": cmd_wait,
        "seed": cmd_seed,
        "load": cmd_load,
        "outage": cmd_outage,
        "likes": cmd_likes,
    }[args.command](args)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
