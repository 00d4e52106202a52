"""Agora's benchmark, end to end: `make bench` runs `python bench/run.py`.

1. Creates, migrates and seeds the PostgreSQL databases `agora_bench` (full size) and
   `agora_bench_small` (one tenth), unless they already hold that exact data set.
2. Serves Agora with the production command (`gunicorn -c gunicorn.conf.py config.wsgi`,
   DJANGO_DEBUG off, a generated secret key, throttles raised through the environment), bound
   to 127.0.0.1 only.
3. Drives each scenario of bench/scenarios.py, one at a time, with wrk (a warm-up, then the
   measured run), repeated and interleaved, so that slow drifts of the machine hit every
   scenario alike.
4. Counts each scenario's SQL queries by replaying its request in-process (bench/querycount.py).
5. Prints the table of medians, checks the targets (bench/README.md), writes the raw results to
   bench/results/<time>.json and latest.json, and plots bench/results/throughput.png.

Every process it starts (gunicorn, wrk, the query counter) is stopped when it ends, on errors
and on Ctrl-C or SIGTERM too. All traffic goes to 127.0.0.1.
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scenarios as sc  # noqa: E402 (needs the repository root on sys.path)
from bench.seeding import BENCH_PASSWORD, bench_username  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
# High enough never to answer 429; per second, because DRF keeps one timestamp per request in
# the window, and a per-minute window at thousands of requests per second makes every request
# unpickle a list of 100,000 floats from the cache.
RAISED_RATE = "100000/s"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# No worker recycling (gunicorn.conf.py's max_requests): the benchmark measures the server in
# its steady state; bench/README.md gives the cost of recycling at these rates.
STEADY_STATE = "--max-requests 0"
# bench/gunicorn.conf.py's request counters, one slot (pid, requests) per worker.
WORKER_SLOTS = 64
WORKER_SLOT = struct.Struct("QQ")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--likes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (medians)")
    parser.add_argument(
        "--connections", type=int, default=16, help="concurrent connections (= bench users)"
    )
    parser.add_argument("--scenarios", help="comma-separated names (default: all)")
    parser.add_argument("--no-growth", action="store_true", help="skip the one-tenth database")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database name); the databases are agora_bench[_small]",
    )
    parser.add_argument(
        "--server-log",
        action="store_true",
        help="keep gunicorn's output in bench/results/gunicorn-<db>.log.tmp (default: discarded)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="Redis for the throttle counters, as in production ('' for per-process counters)",
    )
    parser.add_argument(
        "--gunicorn-args",
        default=os.environ.get("BENCH_GUNICORN_ARGS", STEADY_STATE),
        help=f"extra GUNICORN_CMD_ARGS (default {STEADY_STATE!r}; '' for gunicorn.conf.py as is)",
    )
    args = parser.parse_args()
    args.selected = (
        [sc.BY_NAME[name] for name in args.scenarios.split(",")] if args.scenarios else sc.SCENARIOS
    )
    return args


def log(message):
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


# --- databases ---------------------------------------------------------------------------


def app_env(args, database, secret_key):
    """The environment of every Agora process of the run: production settings, bench DB."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "GUNICORN_CMD_ARGS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"{args.database_url}/{database}",
        ANON_RATE=RAISED_RATE,
        USER_RATE=RAISED_RATE,
        LOGIN_RATE_PER_IP=RAISED_RATE,
        LOGIN_RATE_PER_ACCOUNT=RAISED_RATE,
        SIGNUP_RATE_PER_IP=RAISED_RATE,
        # Tokens are fetched once, before the scenarios; they must outlive the run.
        ACCESS_TOKEN_LIFETIME_MINUTES="240",  # noqa: S106 (not a password)
        PORT=str(args.port),
        GUNICORN_CMD_ARGS=f"--bind 127.0.0.1:{args.port} {args.gunicorn_args}".strip(),
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env, *command):
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(args, database, sizes, secret_key):
    """Create, migrate and (when it does not hold this data set yet) seed one database."""
    with psycopg.connect(f"{args.database_url}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            log(f"creating database {database}")
            conn.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(database))
            )
    env = app_env(args, database, secret_key)
    manage(env, "migrate", "--no-input", "-v", "0")
    users, posts, likes = sizes
    subprocess.run(  # noqa: S603 (our own seeding script, fixed arguments)
        [
            sys.executable,
            "bench/seed.py",
            f"--users={users}",
            f"--posts={posts}",
            f"--likes={likes}",
            f"--seed={args.seed}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def sample_post_ids(args, database, count=1000):
    """A fixed pseudo-random sample of published posts for the single-post scenario."""
    with psycopg.connect(f"{args.database_url}/{database}") as conn:
        rows = conn.execute(
            "SELECT id FROM posts_post WHERE published ORDER BY md5(id::text) LIMIT %s", [count]
        ).fetchall()
    return [row[0] for row in rows]


# --- the server --------------------------------------------------------------------------


class Server:
    """gunicorn with the production config, in its own process group, stopped on exit; its
    workers count their requests in a file (bench/gunicorn.conf.py)."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = dict(env), port, log_path
        self.process = None
        self.counts_file = tempfile.NamedTemporaryFile(prefix="agora-bench-counts-")  # noqa: SIM115
        self.counts_file.write(bytes(WORKER_SLOTS * WORKER_SLOT.size))
        self.counts_file.flush()
        self.env["BENCH_WORKER_COUNTS"] = self.counts_file.name

    def worker_requests(self):
        """{worker pid: requests answered so far}."""
        data = Path(self.counts_file.name).read_bytes()
        slots = (WORKER_SLOT.unpack_from(data, n * WORKER_SLOT.size) for n in range(WORKER_SLOTS))
        return {pid: count for pid, count in slots if pid}

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log_file = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "bench/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                status, _ = http(self.base_url, "GET", "/health/")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /health/ within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log_path:
            self.log_file.close()
        self.counts_file.close()

    def worker_pids(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (
                        int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                        == self.process.pid
                    ):
                        pids.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return pids


def http(base_url, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    # base_url is always http://127.0.0.1:<port>.
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


# --- virtual users -----------------------------------------------------------------------


def virtual_users(base_url, count):
    """One bench user per connection: its access token, and a post it does not like yet."""
    users, taken = [], set()
    for number in range(1, count + 1):
        username = bench_username(number)
        status, pair = http(
            base_url, "POST", sc.LOGIN, {"username": username, "password": BENCH_PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"login as {username} failed: {status} {pair}")
        token = pair["access_token"]
        post = None
        # The first bench users are the keenest likers (Zipf): look a few pages deep if needed.
        for offset in range(0, 2000, 100):
            status, page = http(
                base_url, "GET", f"{sc.POSTS}?limit=100&offset={offset}", token=token
            )
            post = next(
                (p["id"] for p in page["results"] if not p["voted"] and p["id"] not in taken), None
            )
            if post is not None:
                break
        if post is None:
            raise SystemExit(f"{username} likes every post of its first 2,000; reseed bigger")
        taken.add(post)
        users.append((username, token, post))
    return users


def take_likes_back(base_url, users):
    """Leave no like behind: a run may stop between a like and its unlike."""
    # wrk stops without waiting for the answers in flight; let the server finish them first.
    time.sleep(1)
    for _, token, post in users:
        status, body = http(base_url, "POST", sc.VOTES, {"post_id": post, "dir": 0}, token)
        if status not in (200, 404):
            raise SystemExit(f"unlike of post {post} failed: {status} {body}")


# --- load --------------------------------------------------------------------------------


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
    env = dict(
        os.environ,
        BENCH_KIND=scenario.kind,
        BENCH_PATH=scenario.path,
        BENCH_AUTH="1" if scenario.auth else "0",
        BENCH_USERS_FILE=str(files["users"]),
        BENCH_PATHS_FILE=str(files["details"]) if scenario.post_detail else "",
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


def drive(args, server, database, scenarios, files, label):
    """Every scenario, `repeat` times, interleaved; returns {name: [run, ...]}."""
    runs = {scenario.name: [] for scenario in scenarios}
    users = files["virtual_users"]
    for repetition in range(1, args.repeat + 1):
        for scenario in scenarios:
            if scenario.kind == "like":
                take_likes_back(server.base_url, users)
            run_wrk(args, server, database, scenario, args.warmup, files)
            if scenario.kind == "like":
                take_likes_back(server.base_url, users)
            result = run_wrk(args, server, database, scenario, args.duration, files)
            if scenario.kind == "like":
                take_likes_back(server.base_url, users)
            runs[scenario.name].append(result)
            log(
                f"{label} {repetition}/{args.repeat} {scenario.name:12} "
                f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f}  "
                f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}  "
                f"cpu/req {sum(result['cpu_ms_per_request'].values()):.2f} ms  "
                f"cpu app {result['cpu']['app_and_postgres']:.0%} "
                f"wrk {result['cpu']['load_generator']:.0%} "
                f"other {result['cpu']['everything_else']:.0%}"
            )
    return runs


def write_files(directory, users, details):
    files = {"users": directory / "users.txt", "details": directory / "details.txt"}
    files["users"].write_text("".join(f"{name} {token} {post}\n" for name, token, post in users))
    files["details"].write_text("".join(f"{sc.detail_path(pid)}\n" for pid in details))
    files["virtual_users"] = users
    return files


def answered_counts(server, scenarios, token):
    """The `count` each list scenario answered: proof of what a search hits."""
    counts = {}
    for scenario in scenarios:
        if (
            scenario.kind == "get"
            and scenario.path.startswith(sc.POSTS)
            and not scenario.post_detail
        ):
            status, page = http(
                server.base_url, "GET", scenario.path, token=token if scenario.auth else None
            )
            counts[scenario.name] = page["count"] if status == 200 else None
    return counts


# --- queries per request -----------------------------------------------------------------


def count_queries(env, users, detail_id):
    """Replay each scenario's request in-process and count its SQL queries."""
    _, token, post = users[0]
    limit_100 = f"{sc.POSTS}?limit=100"
    specs = []
    for scenario in sc.SCENARIOS:
        spec = {"name": scenario.name, "method": "GET", "path": scenario.path, "expect": 200}
        spec["token"] = token if scenario.auth else None
        if scenario.kind == "like":
            like = {**spec, "method": "POST", "body": {"post_id": post, "dir": 1}, "expect": 201}
            specs.append({**like, "name": "like"})
            specs.append(
                {**like, "name": "unlike", "body": {"post_id": post, "dir": 0}, "expect": 200}
            )
            continue
        if scenario.kind == "login":
            spec.update(method="POST", body={"username": users[0][0], "password": BENCH_PASSWORD})
        elif scenario.post_detail:
            spec["path"] = sc.detail_path(detail_id)
        else:
            spec["cold"] = scenario.path.startswith(sc.POSTS)
        specs.append(spec)
    for name, auth in (("feed_anon_limit_100", None), ("feed_auth_limit_100", token)):
        specs.append(
            {
                "name": name,
                "method": "GET",
                "path": limit_100,
                "token": auth,
                "expect": 200,
                "cold": True,
            }
        )
    specs.append(
        {
            "name": "post_detail_auth",
            "method": "GET",
            "path": sc.detail_path(detail_id),
            "token": token,
            "expect": 200,
        }
    )
    # The querycount process has its own in-memory cache: never clear a shared Redis.
    env = {key: value for key, value in env.items() if key != "REDIS_URL"}
    with tempfile.TemporaryDirectory(prefix="agora-bench-") as directory:
        # A file, not stdout: the app logs every request on stdout.
        out = Path(directory) / "queries.json"
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "querycount.py"), str(out)],
            input=json.dumps(specs),
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"query count failed:\n{result.stderr[-3000:]}")
        return json.loads(out.read_text())


def queries_of(queries, name):
    """The figure shown in the table: cold (cache emptied) / warm for lists, else the count."""
    if name == "like_unlike":
        return f"{queries['like']['queries']}+{queries['unlike']['queries']}"
    entry = queries[name]
    if "cold" in entry:
        return f"{entry['cold']['queries']}/{entry['warm']['queries']}"
    return str(entry["queries"])


# --- summary -----------------------------------------------------------------------------


def summarize(runs):
    summary = {}
    for name, results in runs.items():
        summary[name] = {
            key: round(statistics.median(result[key] for result in results), 2)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "mean_ms")
        }
        summary[name]["cpu_ms_per_request"] = round(
            statistics.median(sum(result["cpu_ms_per_request"].values()) for result in results), 3
        )
        summary[name]["other_cpu_share"] = round(
            statistics.median(result["cpu"]["everything_else"] for result in results), 3
        )
        summary[name]["errors"] = sum(result["errors"] for result in results)
        summary[name]["runs"] = len(results)
        # The worst run's gap between the busiest and the idlest worker, and how far requests
        # per second moved between runs.
        summary[name]["worker_spread"] = max(result["worker_spread"] for result in results)
        rates = [result["rps"] for result in results]
        summary[name]["rps_spread"] = round((max(rates) - min(rates)) / statistics.median(rates), 3)
    return summary


# CPU per request (gunicorn and PostgreSQL, ms) each scenario is to stay within.
CPU_TARGETS_MS = {
    "like_unlike": 2.0,
    "post_detail": 2.0,
    "feed_anon": 2.0,
    "feed_auth": 3.0,
    "feed_top": 4.0,
    "search_few": 4.0,
    "search_many": 4.0,
    "feed_deep_auth": 6.0,
}
READ_P99_MS = 50
WORKER_SPREAD = 0.20
RPS_SPREAD = 0.10
# Queries per request, as the suite pins them: lists (cold cache), one post, a like or unlike.
QUERY_TARGETS = {"list": 3, "detail": 2, "like": 4}


def check_targets(full, small, queries):
    """The targets of bench/README.md, each with the figures it was judged on."""
    checks = []

    def check(what, ok, detail):
        checks.append({"target": what, "met": bool(ok), "detail": detail})

    for name, runs in {**full, **{f"small:{k}": v for k, v in small.items()}}.items():
        check(f"{name}: zero errors", runs["errors"] == 0, f"{runs['errors']} errors")
    for name, limit in CPU_TARGETS_MS.items():
        if name in full:
            cpu = full[name]["cpu_ms_per_request"]
            check(f"{name}: CPU <= {limit} ms/request", cpu <= limit, f"{cpu:.2f} ms")
    for scenario in sc.SCENARIOS:
        figures = full.get(scenario.name)
        if figures is None:
            continue
        if scenario.kind == "get":
            p99 = figures["p99_ms"]
            check(f"{scenario.name}: p99 < {READ_P99_MS} ms", p99 < READ_P99_MS, f"{p99:.1f} ms")
        if scenario.kind != "login":
            spread = figures["worker_spread"]
            check(
                f"{scenario.name}: workers' requests within {WORKER_SPREAD:.0%} of each other",
                spread < WORKER_SPREAD,
                f"worst run {spread:.0%} apart",
            )
            check(
                f"{scenario.name}: req/s within {RPS_SPREAD:.0%} between runs",
                figures["rps_spread"] < RPS_SPREAD,
                f"{figures['rps_spread']:.0%}",
            )
    for name in ("feed_anon", "feed_auth"):
        if name in full and name in small:
            ratio = full[name]["p50_ms"] / small[name]["p50_ms"]
            check(
                f"{name}: growth, p50 at full size <= 1.5x one tenth",
                ratio <= 1.5,
                f"{full[name]['p50_ms']:.2f} / {small[name]['p50_ms']:.2f} ms = {ratio:.2f}x",
            )
    if queries:
        worst_list = max(
            max(entry["cold"]["queries"], entry["warm"]["queries"])
            for name, entry in queries.items()
            if "cold" in entry
        )
        limit = QUERY_TARGETS["list"]
        check(f"list: <= {limit} queries (any page size)", worst_list <= limit, f"{worst_list}")
        detail = max(queries["post_detail"]["queries"], queries["post_detail_auth"]["queries"])
        limit = QUERY_TARGETS["detail"]
        check(f"detail: <= {limit} queries", detail <= limit, f"{detail}")
        like = max(queries["like"]["queries"], queries["unlike"]["queries"])
        limit = QUERY_TARGETS["like"]
        check(f"like/unlike: <= {limit} queries each", like <= limit, f"{like}")
    return checks


TABLE_HEADER = (
    "scenario",
    "CPU ms/req",
    "x /health/ by CPU",
    "req/s",
    "x /health/",
    "p50 ms",
    "p99 ms",
    "errors",
    "queries",
    "workers apart",
    "runs apart",
    "other load",
)


def table_rows(full, small, queries):
    """The table's rows, as strings: full size first, then the one-tenth runs."""
    rows = []

    def row(label, figures, health, name=None, health_cpu=None):
        rows.append(
            (
                label,
                f"{figures['cpu_ms_per_request']:.2f}",
                f"{health_cpu / figures['cpu_ms_per_request']:.2f}" if health_cpu else "-",
                f"{figures['rps']:.0f}",
                f"{figures['rps'] / health:.2f}" if health else "-",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                str(figures["errors"]),
                queries_of(queries, name) if queries and name else "",
                f"{figures['worker_spread']:.0%}",
                f"{figures['rps_spread']:.0%}",
                f"{figures['other_cpu_share']:.0%}",
            )
        )

    health, small_health = full.get("health", {}), small.get("health", {})
    for scenario in sc.SCENARIOS:
        if scenario.name in full:
            row(
                scenario.title,
                full[scenario.name],
                health.get("rps"),
                scenario.name,
                health.get("cpu_ms_per_request"),
            )
    for name, figures in small.items():
        row(
            f"1/10 size: {sc.BY_NAME[name].title}",
            figures,
            small_health.get("rps"),
            health_cpu=small_health.get("cpu_ms_per_request"),
        )
    return rows


def table(full, small, queries):
    rows = [TABLE_HEADER, *table_rows(full, small, queries)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(TABLE_HEADER))]
    lines = [
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def markdown(report):
    """latest.md: the table and the targets, for bench/README.md."""
    summary = report["summary"]
    rows = table_rows(summary["full"], summary["small"], report["queries"])
    config = report["config"]
    lines = [
        f"Run {report['started'][:16].replace('T', ' ')} UTC, commit {report['commit']}: "
        f"medians of {config['repeat']} runs of {config['duration_s']} s each, "
        f"wrk with {config['connections']} connections.",
        "",
        "| " + " | ".join(TABLE_HEADER) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(TABLE_HEADER) - 1)) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        *(
            f"- {'met' if check['met'] else '**missed**'}: {check['target']} ({check['detail']})"
            for check in report["targets"]
        ),
    ]
    return "\n".join(lines) + "\n"


def git_commit():
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


# --- main --------------------------------------------------------------------------------


def serve_and_drive(args, database, scenarios, secret_key, label, want_queries):
    env = app_env(args, database, secret_key)
    details = sample_post_ids(args, database)
    log_path = RESULTS / f"gunicorn-{database}.log.tmp" if args.server_log else None
    with Server(env, args.port, log_path) as server:
        users = virtual_users(server.base_url, args.connections)
        with tempfile.TemporaryDirectory(prefix="agora-bench-") as directory:
            files = write_files(Path(directory), users, details)
            counts = answered_counts(server, scenarios, users[0][1])
            runs = drive(args, server, database, scenarios, files, label)
    queries = count_queries(env, users, details[0]) if want_queries else {}
    return runs, counts, queries


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it).")
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, through every `with` that stops a process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    secret_key = secrets.token_urlsafe(50)
    full_sizes = (args.users, args.posts, args.likes)
    small_sizes = tuple(max(size // 10, 1) for size in full_sizes)
    growth = not args.no_growth and any(s in args.selected for s in sc.GROWTH)

    prepare_database(args, "agora_bench", full_sizes, secret_key)
    if growth:
        prepare_database(args, "agora_bench_small", small_sizes, secret_key)

    small_runs, small_counts = {}, {}
    if growth:
        small_scenarios = [sc.HEALTH, *(s for s in sc.GROWTH if s in args.selected)]
        log(f"one tenth size {small_sizes}: {', '.join(s.name for s in small_scenarios)}")
        small_runs, small_counts, _ = serve_and_drive(
            args, "agora_bench_small", small_scenarios, secret_key, "1/10", want_queries=False
        )
    log(f"full size {full_sizes}: {', '.join(s.name for s in args.selected)}")
    full_runs, full_counts, queries = serve_and_drive(
        args, "agora_bench", args.selected, secret_key, "full", want_queries=True
    )

    full, small = summarize(full_runs), summarize(small_runs)
    targets = check_targets(full, small, queries)
    report = {
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg()},
        "config": {
            "tool": "wrk",
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "repeat": args.repeat,
            "gunicorn_cmd_args": app_env(args, "agora_bench", "")["GUNICORN_CMD_ARGS"],
            "redis": bool(args.redis_url),
            "sizes": {"full": full_sizes, "small": small_sizes, "seed": args.seed},
        },
        "answered_counts": {"full": full_counts, "small": small_counts},
        "summary": {"full": full, "small": small},
        "queries": queries,
        "targets": targets,
        "runs": {"full": full_runs, "small": small_runs},
    }
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for path in (RESULTS / f"{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report))

    print()
    print(table(full, small, queries))
    print()
    for check in targets:
        print(f"  [{'ok' if check['met'] else 'MISSED'}] {check['target']}: {check['detail']}")
    from bench.plot import plot  # matplotlib only at the end, and only here

    plot(report, RESULTS / "throughput.png")
    log(f"wrote {RESULTS / 'latest.json'}, latest.md and throughput.png")
    return 1 if args.strict and not all(check["met"] for check in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
