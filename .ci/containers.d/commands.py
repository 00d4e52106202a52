"""Run inside Agora's image (stdin of `python -`): every management command that ships in it must
import and print its --help; a few harmless ones also run for real against the CI database.

Generic on purpose: the list comes from the image itself (Django's get_commands), so a command
that ships but cannot be loaded (a module left out by .dockerignore, say) fails here.
"""

import contextlib
import io
import os
import sys

import django
from django.core.management import ManagementUtility, get_commands

PROJECT_APPS = {"accounts", "core", "posts", "votes"}
# Commands run for real: harmless on a throwaway database, and read-only on the image's files.
REAL_RUNS = [
    ["check", "--deploy", "--fail-level", "WARNING"],
    ["showmigrations", "--plan"],
    ["migrate", "--check"],
    ["makemigrations", "--check", "--dry-run"],
    ["spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
    ["collectstatic", "--dry-run", "--no-input"],
    ["clearsessions"],
    ["flushexpiredtokens"],
    ["prune_expired"],
    ["seed_demo"],
    ["createsuperuser", "--no-input"],  # DJANGO_SUPERUSER_* from the environment
]


def run(argv):
    """(exit status or error, output) of one manage.py command in this process."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exit_:
        return (exit_.code or 0), out.getvalue()
    except Exception as error:  # any failure to load or run is the finding
        return f"{type(error).__name__}: {error}", out.getvalue()
    return 0, out.getvalue()


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")  # as manage.py does
    django.setup()
    commands = sorted(get_commands().items())
    failed = []
    own = []
    for name, app in commands:
        status, output = run([name, "--help"])
        if status == 0 and "usage:" in output:
            print(f"ok    {name} --help ({app})")
        else:
            failed.append(name)
            print(f"FAIL  {name} --help ({app}): {status} {output.strip()[-300:]}")
        if app in PROJECT_APPS:
            own.append(name)
    print(
        f"figure: management commands in the image: {len(commands)}, --help passes for {len(commands) - len(failed)}"
        f"{', fails for ' + ', '.join(failed) if failed else ''}"
    )
    ran = []
    for argv in REAL_RUNS:
        if argv[0] not in dict(commands):
            continue
        status, output = run(argv)
        if status == 0:
            ran.append(argv[0])
            print(f"ok    manage.py {' '.join(argv)}")
        else:
            failed.append(" ".join(argv))
            print(f"FAIL  manage.py {' '.join(argv)}: {status} {output.strip()[-500:]}")
    help_only = [name for name in own if name not in ran]
    print(
        f"figure: Agora's own commands: {', '.join(own)}; run for real: {', '.join(n for n in ran if n in own)}"
        f"; --help only: {', '.join(help_only) or 'none'}; also run for real: {', '.join(n for n in ran if n not in own)}"
    )
    sys.exit(1 if failed else 0)


main()
