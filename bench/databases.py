"""The benchmark's databases: created, migrated and seeded once (bench/seed.py), and the
environment the server runs with against them."""

import os
import subprocess
import sys

import psycopg

from bench.common import ROOT, log

# High enough never to answer 429; per second, because DRF keeps one timestamp per request in
# the window, and a per-minute window at thousands of requests per second makes every request
# unpickle a list of 100,000 floats from the cache.
RAISED_RATE = "100000/s"


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
        # The login scenario measures what a login costs, not the bound on hashes at once: its
        # 16 connections on 2 processes all hash, none is refused (503) for want of a turn.
        PASSWORD_HASHING_SLOTS="8",  # noqa: S106 (not a password)
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
    subprocess.run(  # noqa: S603 (our own seeding script, fixed arguments)
        [
            sys.executable,
            "bench/seed.py",
            *(f"--{name}={size}" for name, size in sizes.items()),
            f"--seed={args.seed}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


# What each sample is drawn from: published posts, for the single post; active users, for the
# profile; published posts with a page of comments at least (core.cursors' default limit), for
# their comments.
SAMPLED = {
    "posts": "SELECT id FROM posts_post WHERE published ORDER BY md5(id::text) LIMIT %s",
    "users": "SELECT id FROM accounts_user WHERE is_active ORDER BY md5(id::text) LIMIT %s",
    "commented": (
        "SELECT id FROM posts_post WHERE published AND comments_count >= 20 "
        "ORDER BY md5(id::text) LIMIT %s"
    ),
}


def sample_ids(args, database, sampled, count=1000):
    """A fixed pseudo-random sample of what SAMPLED names, for the scenarios that cycle through
    many."""
    with psycopg.connect(f"{args.database_url}/{database}") as conn:
        rows = conn.execute(SAMPLED[sampled], [count]).fetchall()
    return [row[0] for row in rows]


def delete_new_comments(args, database, seeded):
    """Delete the comments written since the seed (ids past `seeded`, those it wrote) and set
    their posts' counts again: the comment scenario writes thousands a run, and the API would
    take a minute to delete them one by one."""
    with psycopg.connect(f"{args.database_url}/{database}") as conn:
        # Two statements: one statement's parts all see the rows as they were before it.
        posts = conn.execute(
            "DELETE FROM comments_comment WHERE id > %s RETURNING post_id", [seeded]
        ).fetchall()
        conn.execute(
            "UPDATE posts_post AS p SET comments_count = (SELECT count(*) FROM comments_comment "
            "AS c WHERE c.post_id = p.id AND NOT c.hidden) WHERE p.id = ANY(%s)",
            [sorted({post for (post,) in posts})],
        )
