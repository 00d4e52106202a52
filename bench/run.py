"""Agora's benchmark, end to end: `make bench` runs `python bench/run.py`.

1. Creates, migrates and seeds the PostgreSQL databases `agora_bench` (full size) and
   `agora_bench_small` (one tenth), unless they already hold that exact data set.
2. Serves Agora with the production command (`gunicorn -c gunicorn.conf.py config.wsgi`,
   DJANGO_DEBUG off, a generated secret key, throttles raised through the environment), bound
   to 127.0.0.1 only.
3. Drives each scenario of bench/scenarios.py, one at a time, with wrk (a warm-up, then the
   measured run), repeated and interleaved, so that slow drifts of the machine hit every
   scenario alike. With --ab-middleware, a second server without issue 19's middlewares
   (bench/settings_ab.py) serves each scenario right after the first: an A/B of their cost.
4. Counts each scenario's SQL queries by replaying its request in-process (bench/querycount.py).
5. Prints the table of medians, checks the targets (bench/README.md), writes the raw results to
   bench/results/<time>.json and latest.json, and plots bench/results/throughput.png.

Every process it starts (gunicorn, wrk, the query counter) is stopped when it ends, on errors
and on Ctrl-C or SIGTERM too. All traffic goes to 127.0.0.1.

This file holds the options and the order of things; each job has its own module: the
databases (databases.py), the server (server.py), the load and its CPU (load.py), the queries
per request (queries.py) and what the run found (report.py).
"""

import argparse
import dataclasses
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios as sc
from bench.common import RESULTS, log
from bench.cursors import check_cursor_page, cursor_path
from bench.databases import app_env, delete_new_comments, prepare_database, sample_ids
from bench.load import answered_counts, cycle_etags, drive, virtual_users, write_files
from bench.queries import count_queries
from bench.report import check_targets, git_commit, markdown, summarize, table
from bench.server import Server

# No worker recycling (gunicorn.conf.py's max_requests): the benchmark measures the server in
# its steady state; bench/README.md gives the cost of recycling at these rates.
STEADY_STATE = "--max-requests 0"
# The data set's sizes, as bench/seed.py takes them; the one-tenth database divides each by ten.
SIZES = ("users", "posts", "likes", "follows", "comments")
# The A/B's second server (--ab-middleware): its variant's name, and its settings.
WITHOUT = "without issue 19's middlewares"
WITHOUT_SETTINGS = "bench.settings_ab"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--likes", type=int, default=1_000_000)
    parser.add_argument("--follows", type=int, default=200_000)
    parser.add_argument("--comments", type=int, default=500_000)
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
    parser.add_argument(
        "--ab-middleware",
        action="store_true",
        help="run each scenario at full size (but the 304s) on a second server too, without the "
        "middlewares issue 19 added (bench/settings_ab.py), right after the first: an A/B",
    )
    args = parser.parse_args()
    args.selected = (
        [sc.BY_NAME[name] for name in args.scenarios.split(",")] if args.scenarios else sc.SCENARIOS
    )
    return args


def serve_and_drive(args, database, sizes, scenarios, secret_key, label, want_queries, ab=False):
    """Serve `database`, drive `scenarios` (and with `ab`, each again on a server without issue
    19's middlewares); returns ({variant: runs}, the lists' answered counts, the queries)."""
    env = app_env(args, database, secret_key)
    # The cursors the server would make deep in the main feed, made before it starts.
    made = {s.name: cursor_path(env, s.path, s.cursor_at) for s in scenarios if s.cursor_at}
    scenarios = [dataclasses.replace(s, path=made[s.name]) if s.cursor_at else s for s in scenarios]
    posts, profiles = sample_ids(args, database, "posts"), sample_ids(args, database, "users")
    commented = sample_ids(args, database, "commented")
    cycles = {
        "posts": [sc.detail_path(post) for post in posts],
        "profiles": [sc.profile_path(user) for user in profiles],
        "comments": [sc.comments_path(post) for post in commented],
    }
    log_path = RESULTS / f"gunicorn-{database}.log.tmp" if args.server_log else None
    without = nullcontext()
    if ab:
        # The same server but for its settings, on the next port.
        other_args = argparse.Namespace(**{**vars(args), "port": args.port + 1})
        other_env = app_env(other_args, database, secret_key)
        other_env["DJANGO_SETTINGS_MODULE"] = WITHOUT_SETTINGS
        other_log = log_path and log_path.with_name(f"gunicorn-{database}-without.log.tmp")
        without = Server(other_env, other_args.port, other_log)
    with Server(env, args.port, log_path) as server, without as other:
        for scenario in scenarios:
            if scenario.cursor_at:
                check_cursor_page(server.base_url, scenario.path, scenario.cursor_at)
        users = virtual_users(server.base_url, args.connections, scenarios)
        with tempfile.TemporaryDirectory(prefix="agora-bench-") as directory:
            etags = cycle_etags(server.base_url, scenarios, cycles)
            files = write_files(Path(directory), scenarios, users, cycles, etags)
            counts = answered_counts(server, scenarios, users)
            variants = {"": (server, scenarios)}
            if other:
                # A 304 needs the ETags of ConditionalGetMiddleware, which it lacks.
                variants[WITHOUT] = (other, [s for s in scenarios if not s.revalidate])
            runs = drive(args, variants, database, sizes, files, label)
    queries = {}
    if want_queries:
        queries = count_queries(
            env, users, post=posts[0], profile=profiles[0], commented=commented[0], paths=made
        )
        delete_new_comments(args, database, sizes["comments"])
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
    full_sizes = {name: getattr(args, name) for name in SIZES}
    small_sizes = {name: max(size // 10, 1) for name, size in full_sizes.items()}
    growth = not args.no_growth and any(s in args.selected for s in sc.GROWTH)

    prepare_database(args, "agora_bench", full_sizes, secret_key)
    if growth:
        prepare_database(args, "agora_bench_small", small_sizes, secret_key)

    small_runs, small_counts = {}, {}
    if growth:
        small_scenarios = [sc.HEALTH, *(s for s in sc.GROWTH if s in args.selected)]
        log(f"one tenth size {small_sizes}: {', '.join(s.name for s in small_scenarios)}")
        small_variants, small_counts, _ = serve_and_drive(
            args,
            "agora_bench_small",
            small_sizes,
            small_scenarios,
            secret_key,
            "1/10",
            want_queries=False,
        )
        small_runs = small_variants[""]
    log(f"full size {full_sizes}: {', '.join(s.name for s in args.selected)}")
    full_variants, full_counts, queries = serve_and_drive(
        args,
        "agora_bench",
        full_sizes,
        args.selected,
        secret_key,
        "full",
        want_queries=True,
        ab=args.ab_middleware,
    )
    full_runs, without_runs = full_variants[""], full_variants.get(WITHOUT, {})

    full, small, without = summarize(full_runs), summarize(small_runs), summarize(without_runs)
    targets = check_targets(full, small, queries, without)
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
            "ab_middleware": WITHOUT_SETTINGS if args.ab_middleware else None,
            "sizes": {"full": full_sizes, "small": small_sizes, "seed": args.seed},
        },
        "answered_counts": {"full": full_counts, "small": small_counts},
        "summary": {"full": full, "small": small, "without": without},
        "queries": queries,
        "targets": targets,
        "runs": {"full": full_runs, "small": small_runs, "without": without_runs},
    }
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for path in (RESULTS / f"{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report))

    print()
    print(table(full, small, queries, without))
    print()
    for check in targets:
        print(f"  [{'ok' if check['met'] else 'MISSED'}] {check['target']}: {check['detail']}")
    from bench.plot import plot  # matplotlib only at the end, and only here

    plot(report, RESULTS / "throughput.png")
    log(f"wrote {RESULTS / 'latest.json'}, latest.md and throughput.png")
    return 1 if args.strict and not all(check["met"] for check in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
