"""The load: virtual users with their tokens, wrk driving one scenario at a time, and the CPU
the server and its PostgreSQL backends spent meanwhile."""

import json
import os
import resource
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench import scenarios as sc
from bench.common import ROOT, log
from bench.databases import delete_new_comments
from bench.seeding import BENCH_PASSWORD, HEAVY_FOLLOWERS, bench_username
from bench.server import etag, http

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class VirtualUser:
    """A bench user driving the load on one connection (or a few, when a scenario has fewer
    users than connections)."""

    username: str
    token: str
    # A published post it does not like, and an active user it does not follow: what it likes
    # and unlikes, follows and unfollows.
    post: int
    followee: int
    # {path: its page sc.DEEP_PAGE of that list}, for the deep scenarios.
    deep: dict[str, str] = field(default_factory=dict)
    # {scenario name: the ETag of its path for this user}, for the revalidating scenarios.
    etags: dict[str, str] = field(default_factory=dict)

    @property
    def heavy(self):
        """Whether it follows 2,000 users (bench1..bench5, bench/seeding.py)."""
        return int(self.username.removeprefix("bench")) <= HEAVY_FOLLOWERS


def virtual_users(base_url, count, scenarios):
    """One bench user per connection, bench1..bench<count>: its access token, a post it does
    not like yet, a user it does not follow yet, the deep pages the scenarios ask for, and the
    ETags of the pages they revalidate."""
    users, posts, followees = [], set(), set()
    for number in range(1, count + 1):
        username = bench_username(number)
        status, pair = http(
            base_url, "POST", sc.LOGIN, {"username": username, "password": BENCH_PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"login as {username} failed: {status} {pair}")
        token = pair["access_token"]
        post = _unliked_post(base_url, username, token, posts)
        # Users after the virtual ones: a follow locks both users' rows, and each virtual user's
        # is locked by its own follows only.
        followee = _unfollowed_user(base_url, username, token, followees, first=count + 1)
        users.append(VirtualUser(username, token, post, followee))
    for path in {scenario.path for scenario in scenarios if scenario.deep}:
        for user in {id(user): user for s in scenarios for user in drivers(s, users)}.values():
            user.deep[path] = _deep_page(base_url, user, path)
    for scenario in scenarios:
        if scenario.revalidate and not scenario.cycle:
            for user in drivers(scenario, users):
                token = user.token if scenario.auth else None
                user.etags[scenario.name] = etag(base_url, scenario.path, token)
    return users


def cycle_etags(base_url, scenarios, cycles):
    """{name of a list of paths a revalidating scenario cycles through: each path's ETag}; an
    anonymous caller's, the same for every virtual user."""
    etags = {}
    for scenario in scenarios:
        if scenario.revalidate and scenario.cycle and scenario.cycle not in etags:
            if scenario.auth:
                raise SystemExit(f"{scenario.name}: paths are revalidated anonymously only")
            etags[scenario.cycle] = [etag(base_url, path) for path in cycles[scenario.cycle]]
    return etags


def _unliked_post(base_url, username, token, taken):
    # The keenest likers (Zipf) may like the first page's posts: look a few pages deep if needed.
    for offset in range(0, 2000, 100):
        _, page = http(base_url, "GET", f"{sc.POSTS}?limit=100&offset={offset}", token=token)
        for post in page["results"]:
            if not post["voted"] and post["id"] not in taken:
                taken.add(post["id"])
                return post["id"]
    raise SystemExit(f"{username} likes every post of its first 2,000; reseed bigger")


def _unfollowed_user(base_url, username, token, taken, first):
    # The heavy followers follow a fifth of all users: a few tries at most.
    for user_id in range(first, first + 1000):
        status, profile = http(base_url, "GET", sc.profile_path(user_id), token=token)
        if status == 200 and not profile["following"] and user_id not in taken:
            taken.add(user_id)
            return user_id
    raise SystemExit(f"{username} follows the next 1,000 users; reseed bigger")


def _deep_page(base_url, user, path):
    """The path of `user`'s page sc.DEEP_PAGE of the cursor-paged list at `path`."""
    for _ in range(sc.DEEP_PAGE - 1):
        status, page = http(base_url, "GET", path, token=user.token)
        if status != 200 or not page["next"]:
            raise SystemExit(
                f"{path} of {user.username} ends before page {sc.DEEP_PAGE} ({status}); "
                "reseed bigger"
            )
        link = urlsplit(page["next"])
        path = f"{link.path}?{link.query}"
    return path


def drivers(scenario, users):
    """The virtual users that drive `scenario`."""
    if scenario.users == "heavy":
        return [user for user in users if user.heavy]
    if scenario.users == "light":
        return [user for user in users if not user.heavy]
    return users


def take_back(args, server, database, sizes, scenario, users):
    """Leave no like, follow or comment behind: a run may stop between a like or a follow and
    its undoing, and comments are only ever written."""
    if scenario.kind not in ("like", "follow", "comment"):
        return
    # wrk stops without waiting for the answers in flight; let the server finish them first.
    time.sleep(1)
    if scenario.kind == "comment":
        delete_new_comments(args, database, sizes["comments"])
        return
    for user in users:
        if scenario.kind == "like":
            undo = ("POST", sc.VOTES, {"post_id": user.post, "dir": 0})
        else:
            undo = ("DELETE", sc.follow_path(user.followee), None)
        status, body = http(server.base_url, *undo, user.token)
        if status not in (200, 404):
            raise SystemExit(f"{undo[0]} {undo[1]} failed: {status} {body}")


def cpu_ticks(pid, reaped_children=False):
    """User + system clock ticks of a process so far (0 once it is gone); with
    `reaped_children`, plus those of its children that exited, as gunicorn's recycled workers.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks


def app_ticks(server, database):
    """Clock ticks used so far by gunicorn (master, live workers, and through the master's
    reaped-children time the workers that exited) and by the database's PostgreSQL backends."""
    gunicorn = {server.process.pid: cpu_ticks(server.process.pid, reaped_children=True)}
    gunicorn.update((pid, cpu_ticks(pid)) for pid in server.worker_pids())
    backends = {pid: cpu_ticks(pid) for pid in postgres_pids(database)}
    return gunicorn, backends


def ticks_since(before, after):
    """(gunicorn, postgres) ticks spent between two app_ticks() readings.

    A worker that exited in between is missing from `after`, its whole time being in the
    master's; subtracting its earlier reading leaves its share of the interval. A backend that
    exited is left out: its time went to no process we read.
    """
    (gunicorn_before, backends_before), (gunicorn_after, backends_after) = before, after
    gunicorn = sum(gunicorn_after.values()) - sum(gunicorn_before.values())
    backends = sum(ticks - backends_before.get(pid, 0) for pid, ticks in backends_after.items())
    return gunicorn, backends


def machine_busy_ticks():
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle


def postgres_pids(database):
    """The PostgreSQL backends serving this database (their command line names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
                pids.append(int(entry.name))
    return pids


def run_wrk(args, server, database, scenario, seconds, files):
    """One wrk run; returns its figures and where the machine's CPU time went meanwhile."""
    paths = "etag_paths" if scenario.revalidate else "paths"
    env = dict(
        os.environ,
        BENCH_KIND=scenario.kind,
        BENCH_PATH=scenario.path,
        BENCH_AUTH="1" if scenario.auth else "0",
        BENCH_USERS_FILE=str(files["users"][scenario.name]),
        BENCH_PATHS_FILE=str(files[paths][scenario.cycle]) if scenario.cycle else "",
        BENCH_REVALIDATE="1" if scenario.revalidate else "0",
        BENCH_PASSWORD=BENCH_PASSWORD,
    )
    command = [
        "wrk",
        f"--threads={args.connections}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={ROOT / 'bench' / 'wrk.lua'}",
        server.base_url + scenario.path,
    ]
    app_before = app_ticks(server, database)
    served_before = server.worker_requests()
    busy_before = machine_busy_ticks()
    children_before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    # run() kills wrk if anything (a timeout, Ctrl-C) interrupts it.
    completed = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    elapsed = time.monotonic() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = completed.stdout
    if completed.returncode != 0:
        raise SystemExit(f"wrk failed on {scenario.name}: {output}{completed.stderr}")
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    cores = os.cpu_count() * elapsed
    app_after = app_ticks(server, database)
    gunicorn_cpu, postgres_cpu = (ticks / CLK_TCK for ticks in ticks_since(app_before, app_after))
    app_cpu = gunicorn_cpu + postgres_cpu
    wrk_cpu = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    )
    busy = (machine_busy_ticks() - busy_before) / CLK_TCK
    latency = {key: value / 1000 for key, value in raw["latency_us"].items()}
    served_after = server.worker_requests()
    per_worker = sorted(
        count - served_before.get(pid, 0)
        for pid, count in served_after.items()
        if pid in set(server.worker_pids())
    )
    return {
        # Requests each worker answered: how evenly the processes shared the load.
        "worker_requests": per_worker,
        "worker_spread": round((per_worker[-1] - per_worker[0]) / max(per_worker[-1], 1), 3),
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": latency["p50"],
        "p90_ms": latency["p90"],
        "p95_ms": latency["p95"],
        "p99_ms": latency["p99"],
        "max_ms": latency["max"],
        "mean_ms": latency["mean"],
        "errors": sum(raw["errors"].values()),
        "error_kinds": raw["errors"],
        # CPU time per request: unlike requests per second, hardly moved by other load.
        "cpu_ms_per_request": {
            "gunicorn": round(gunicorn_cpu * 1000 / max(raw["requests"], 1), 3),
            "postgres": round(postgres_cpu * 1000 / max(raw["requests"], 1), 3),
        },
        # Shares of the machine's CPU (all cores) during the run.
        "cpu": {
            "app_and_postgres": round(app_cpu / cores, 3),
            "load_generator": round(wrk_cpu / cores, 3),
            "everything_else": round(max(busy - app_cpu - wrk_cpu, 0) / cores, 3),
        },
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def drive(args, variants, database, sizes, files, label):
    """Every scenario, `repeat` times, interleaved, on each server that runs it, one right
    after the other (in turn first): `variants` are {name: (server, its scenarios)}, the first
    running them all. Returns {variant: {scenario name: [run, ...]}}. `sizes` are the
    database's, as seeded."""
    runs = {
        variant: {s.name: [] for s in scenarios} for variant, (_, scenarios) in variants.items()
    }
    _, every_scenario = next(iter(variants.values()))
    for repetition in range(1, args.repeat + 1):
        for scenario in every_scenario:
            # Whichever runs second may find the database's caches warmer, or the machine busier.
            turn = list(variants.items())[:: 1 if repetition % 2 else -1]
            for variant, (server, scenarios) in turn:
                if scenario in scenarios:
                    result = _measure(args, server, database, sizes, scenario, files)
                    runs[variant][scenario.name].append(result)
                    name = f"{label} {variant}".strip()
                    log(f"{name} {repetition}/{args.repeat} {scenario.name:12} {_line(result)}")
    return runs


def _measure(args, server, database, sizes, scenario, files):
    """A warm-up, then the measured run, leaving nothing behind."""
    users = files["virtual_users"]
    take_back(args, server, database, sizes, scenario, users)
    run_wrk(args, server, database, scenario, args.warmup, files)
    take_back(args, server, database, sizes, scenario, users)
    result = run_wrk(args, server, database, scenario, args.duration, files)
    take_back(args, server, database, sizes, scenario, users)
    return result


def _line(result):
    return (
        f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f}  "
        f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}  "
        f"cpu/req {sum(result['cpu_ms_per_request'].values()):.2f} ms  "
        f"cpu app {result['cpu']['app_and_postgres']:.0%} "
        f"wrk {result['cpu']['load_generator']:.0%} "
        f"other {result['cpu']['everything_else']:.0%}"
    )


def write_files(directory, scenarios, users, cycles, etags):
    """wrk's input: for each scenario, its users' lines (bench/wrk.lua); for each list of paths
    a scenario cycles through ({"posts": [path, ...], ...}), the paths, and for those that
    revalidating scenarios cycle through ({"posts": [etag, ...]}), the paths with their ETags.
    """
    files = {"virtual_users": users, "users": {}, "paths": {}, "etag_paths": {}}
    for scenario in scenarios:
        lines = []
        for user in drivers(scenario, users):
            if scenario.deep:
                path = user.deep[scenario.path]
            elif scenario.kind == "follow":
                path = sc.follow_path(user.followee)
            elif scenario.kind == "comment":
                path = sc.comments_path(user.post)
            else:
                path = "-"
            tag = f" {user.etags[scenario.name]}" if scenario.name in user.etags else ""
            lines.append(f"{user.username} {user.token} {user.post} {path}{tag}\n")
        files["users"][scenario.name] = directory / f"users-{scenario.name}.txt"
        files["users"][scenario.name].write_text("".join(lines))
    for name, paths in cycles.items():
        files["paths"][name] = directory / f"paths-{name}.txt"
        files["paths"][name].write_text("".join(f"{path}\n" for path in paths))
    for name, tags in etags.items():
        files["etag_paths"][name] = directory / f"paths-{name}-etags.txt"
        lines = (f"{path} {tag}\n" for path, tag in zip(cycles[name], tags, strict=True))
        files["etag_paths"][name].write_text("".join(lines))
    return files


def answered_counts(server, scenarios, users):
    """What the lists answered: the `count` of each feed scenario, proof of what a search hits;
    for a scenario driven by some users only, how many users each of them follows."""
    counts = {}
    for scenario in scenarios:
        if scenario.users != "all":
            counts[scenario.name] = {
                user.username: http(
                    server.base_url, "GET", f"{sc.USERS}by-handle/{user.username}/"
                )[1]["following_count"]
                for user in drivers(scenario, users)
            }
        elif scenario.kind == "get" and scenario.path.startswith(sc.POSTS) and not scenario.cycle:
            token = users[0].token if scenario.auth else None
            status, page = http(server.base_url, "GET", scenario.path, token=token)
            # Pages by cursor have no count.
            counts[scenario.name] = page.get("count") if status == 200 else None
    return counts
