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


def command(commands, subcommand, run, /, *positionals, **options):
    """A subcommand that calls `run(args)`: its positional arguments, then its options as
    {option: default}, typed as their default (False: a flag; ...: required; None: a string)."""
    parser = commands.add_parser(subcommand)
    parser.set_defaults(run=run)
    for positional in positionals:
        parser.add_argument(positional)
    for option, default in options.items():
        flag = f"--{option.replace('_', '-')}"
        if default is False:
            parser.add_argument(flag, action="store_true")
        elif default is ...:
            parser.add_argument(flag, required=True)
        else:
            kind = None if default is None else type(default)
            parser.add_argument(flag, type=kind, default=default)
    return parser


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command(commands, "wait", stack.cmd_wait, "base", seconds=120)
    command(commands, "seed", stack.cmd_seed, "base", "state", users=4, posts=4)
    command(commands, "data-check", stack.cmd_data_check, "base", "state")
    command(commands, "slowloris", attacks.cmd_slowloris, "base", slow=64, seconds=20, host=None)
    command(
        commands, "slow-readers", attacks.cmd_slow_readers, "base", "state",
        readers=24, seconds=15, host=None,
    )  # fmt: skip
    command(
        commands, "idle-keepalive", attacks.cmd_idle_keepalive, "base",
        idle=40, seconds=12, host=None,
    )  # fmt: skip
    command(
        commands, "load", load.cmd_load, "base", "out",
        stop_file=..., threads=8, max_seconds=300, state=None,
    )  # fmt: skip
    # --no-errors: any error status fails, not only 5xx; --expect-servers: at least this many
    # API containers answered.
    command(
        commands, "load-report", load.cmd_load_report, "out",
        name="load", compose="", no_errors=False, expect_servers=0,
    )  # fmt: skip
    command(
        commands, "limits", limits.cmd_limits, "base", "state",
        compose=..., tries=9, account_tries=12, ip_tries=30,
    )  # fmt: skip
    args = parser.parse_args()
    args.run(args)
    sys.exit(1 if probe.FAILED else 0)


if __name__ == "__main__":
    main()
