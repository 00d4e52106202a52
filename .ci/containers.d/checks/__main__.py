"""HTTP checks and bounded loads for .ci/containers, against the stack's published port.

Standard library only. Every loop is bounded in count and in time; every request has a timeout.
Each subcommand prints `ok ...` / `FAIL ...` lines and `figure: ...` lines (collected into the
step's summary), and exits 1 if any check failed.

    checks wait BASE [--seconds N]            until GET /health/ answers 200
    checks seed BASE STATE [--users N]        users with tokens and posts, kept in STATE
    checks data-check BASE STATE              the seeded user logs in, its post is still there
    checks slowloris BASE [--slow N]          slow clients held open while /health/ and the feed answer
    checks slow-readers BASE STATE            clients never reading 8 MB answers, meanwhile the same
    checks idle-keepalive BASE                idle keep-alive connections, meanwhile the same
    checks load BASE OUT --stop-file F        steady load until F exists (or --max-seconds)
    checks load-report OUT [--name NAME]      what a load saw: answers, errors, 5xx, retries
    checks limits BASE STATE                  login limits and a revoked token, across servers
"""

import argparse
import sys

import attacks
import limits
import load
import probe
import stack


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
    p = sub.add_parser("slow-readers")
    p.add_argument("base")
    p.add_argument("state")
    p.add_argument("--readers", type=int, default=24)
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--host", help="the Host header to send (default: the address's host)")
    p.add_argument(
        "--no-posts",
        dest="make_posts",
        action="store_false",
        help="read the large posts an earlier run made, do not make (nor delete) them",
    )
    p = sub.add_parser("idle-keepalive")
    p.add_argument("base")
    p.add_argument("--idle", type=int, default=40)
    p.add_argument("--seconds", type=int, default=12)
    p.add_argument("--host", help="the Host header to send (default: the address's host)")
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
        "wait": stack.cmd_wait,
        "seed": stack.cmd_seed,
        "data-check": stack.cmd_data_check,
        "slowloris": attacks.cmd_slowloris,
        "slow-readers": attacks.cmd_slow_readers,
        "idle-keepalive": attacks.cmd_idle_keepalive,
        "load": load.cmd_load,
        "load-report": load.cmd_load_report,
        "limits": limits.cmd_limits,
    }[args.command](args)
    sys.exit(1 if probe.FAILED else 0)


if __name__ == "__main__":
    main()
