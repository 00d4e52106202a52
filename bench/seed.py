"""Fill a PostgreSQL database with benchmark users, posts, likes, follows and comments, with the
project's settings:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora_bench DJANGO_DEBUG=true \
        .venv/bin/python bench/seed.py --users 10000 --posts 200000 --likes 1000000 \
        --follows 200000 --comments 500000

Not a management command: benchmark code stays in bench/, out of the apps and the image.
"""

import os
import sys
import time
from pathlib import Path

import django

if __name__ == "__main__":
    # Set up as manage.py would, before the models below are imported.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    django.setup()

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from bench.seeding import (
    BENCH_EMAIL_DOMAIN,
    BENCH_PASSWORD,
    HEAVY_FOLLOWERS,
    BenchData,
    Sizes,
    batched,
    heavy_following,
)
from comments.models import Comment
from posts.models import Post
from relationships.models import Block, Follow
from votes.models import Vote

# The order of the tuples bench.seeding yields; checked against the models so that a new column
# fails loudly here rather than with a NOT NULL error halfway through a COPY.
USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "email",
    "username",
    "handle_skeleton",
    "display_name",
    "bio",
    "followers_count",
    "following_count",
    "is_active",
    "is_staff",
    "created_at",
    "token_version",
)
POST_FIELDS = (
    "id",
    "title",
    "content",
    "published",
    "created_at",
    "updated_at",
    "published_at",
    "votes",
    "comments_count",
    "owner",
)
VOTE_FIELDS = ("id", "created_at", "post", "user")
FOLLOW_FIELDS = ("id", "created_at", "follower", "followee")
COMMENT_FIELDS = ("id", "created_at", "updated_at", "content", "hidden", "post", "author")
BATCH_SIZE = 50_000
# Likes and follows are drawn at random and duplicates redrawn: keep well below every possible
# pair.
MAX_DENSITY = 0.25


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database holding only benchmark users (emails @bench.agora.invalid) "
        "with reproducible users, posts, likes, follows and comments; skip if it already holds "
        "this exact data set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--posts", type=int, default=200_000)
        parser.add_argument("--likes", type=int, default=1_000_000)
        parser.add_argument("--follows", type=int, default=200_000)
        parser.add_argument("--comments", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--force", action="store_true", help="Reseed even if this data set is already there."
        )

    def handle(self, *args, users, posts, likes, follows, comments, seed, force, **options):
        sizes = Sizes(
            users=users, posts=posts, likes=likes, follows=follows, comments=comments, seed=seed
        )
        self._check_database(sizes)
        if not force and self._marker() == sizes.marker:
            self.stdout.write(f"Already seeded ({sizes.marker}); nothing to do.")
            return

        started = time.monotonic()
        # Hashing is deliberately slow (Argon2id): once for every bench user, not once each.
        data = BenchData(sizes, make_password(BENCH_PASSWORD))
        User = get_user_model()
        with transaction.atomic():
            self._truncate(User)
            self._copy(User, USER_FIELDS, data.users(), "users")
            self._copy(Post, POST_FIELDS, data.posts(), "posts")
            self._copy(Vote, VOTE_FIELDS, data.likes(), "likes")
            self._copy(Follow, FOLLOW_FIELDS, data.follows(), "follows")
            self._copy(Comment, COMMENT_FIELDS, data.comments(), "comments")
            self._step("like and comment counters", self._set_post_counters)
            self._step("follow counters", self._set_follow_counters)
            self._restart_sequences(sizes, User)
            self._set_marker(sizes.marker)
        self._step("vacuum analyze", self._vacuum_analyze, User, Post, Vote, Follow, Comment)
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {sizes.marker} in {time.monotonic() - started:.0f}s.")
        )

    def _check_database(self, sizes):
        if connection.vendor != "postgresql":
            raise CommandError("bench/seed.py writes with PostgreSQL's COPY: set DATABASE_URL.")
        for name in ("users", "posts", "likes", "follows", "comments"):
            if getattr(sizes, name) < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if sizes.likes > MAX_DENSITY * sizes.users * sizes.posts:
            raise CommandError(
                f"--likes {sizes.likes} is too many for {sizes.users} users and {sizes.posts} "
                f"posts (at most {MAX_DENSITY:.0%} of every user-post pair)."
            )
        heavy = HEAVY_FOLLOWERS * heavy_following(sizes.users)
        if sizes.users <= HEAVY_FOLLOWERS or not heavy < sizes.follows:
            raise CommandError(
                f"--follows {sizes.follows} and --users {sizes.users}: the first "
                f"{HEAVY_FOLLOWERS} users follow {heavy} users between them; there must be more "
                "follows than that, and more users than them."
            )
        if sizes.follows > MAX_DENSITY * sizes.users * (sizes.users - 1):
            raise CommandError(
                f"--follows {sizes.follows} is too many for {sizes.users} users (at most "
                f"{MAX_DENSITY:.0%} of every pair of users)."
            )
        others = get_user_model().objects.exclude(email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
        if others.exists():
            raise CommandError(
                f"Refusing to seed: database {connection.settings_dict['NAME']!r} holds "
                f"{others.count()} users that are not benchmark users (@{BENCH_EMAIL_DOMAIN}). "
                "bench/seed.py replaces all users and their data: point DATABASE_URL at a "
                "database of its own (e.g. agora_bench)."
            )

    def _step(self, label, function, *args):
        started = time.monotonic()
        result = function(*args)
        self.stdout.write(f"  {label}: {time.monotonic() - started:.1f}s")
        return result

    def _truncate(self, User):
        # CASCADE also empties what references users (issued tokens, admin log): all bench rows.
        models = (Comment, Follow, Block, Vote, Post, User)
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")

    def _copy(self, model, field_names, rows, label):
        meta = model._meta
        concrete = {field.name for field in meta.concrete_fields}
        if concrete != set(field_names):
            raise CommandError(
                f"{meta.label} has fields {sorted(concrete)}; bench/seed.py writes "
                f"{sorted(field_names)}: update bench/seeding.py."
            )
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in field_names)
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        started = time.monotonic()
        written = 0
        with connection.cursor() as cursor:
            for batch in batched(rows, BATCH_SIZE):
                # cursor.cursor is psycopg's own cursor; Django's wrapper has no copy().
                with cursor.cursor.copy(sql) as copy:
                    for row in batch:
                        copy.write_row(row)
                written += len(batch)
                if self.stdout.isatty():
                    self.stdout.write(f"  {label}: {written}", ending="\r")
        self.stdout.write(f"  {label}: {written} in {time.monotonic() - started:.1f}s")

    def _set_post_counters(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE posts_post AS p SET votes = v.n "
                "FROM (SELECT post_id, count(*) AS n FROM votes_vote GROUP BY post_id) AS v "
                "WHERE p.id = v.post_id"
            )
            cursor.execute(
                "UPDATE posts_post AS p SET comments_count = c.n FROM (SELECT post_id, count(*) "
                "AS n FROM comments_comment WHERE NOT hidden GROUP BY post_id) AS c "
                "WHERE p.id = c.post_id"
            )

    def _set_follow_counters(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_user AS u SET following_count = f.n FROM (SELECT follower_id, "
                "count(*) AS n FROM relationships_follow GROUP BY follower_id) AS f "
                "WHERE u.id = f.follower_id"
            )
            cursor.execute(
                "UPDATE accounts_user AS u SET followers_count = f.n FROM (SELECT followee_id, "
                "count(*) AS n FROM relationships_follow GROUP BY followee_id) AS f "
                "WHERE u.id = f.followee_id"
            )

    def _restart_sequences(self, sizes, User):
        # The rows were written with ids 1..n; the API's next row takes n + 1.
        counts = (
            (User, sizes.users),
            (Post, sizes.posts),
            (Vote, sizes.likes),
            (Follow, sizes.follows),
            (Comment, sizes.comments),
        )
        with connection.cursor() as cursor:
            for model, count in counts:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [model._meta.db_table, count],
                )

    def _marker(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    def _set_marker(self, marker):
        # A literal, not a parameter: PostgreSQL binds no parameter in a utility statement, and
        # Agora's connections bind them server-side.
        comment = sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(marker)
        )
        with connection.cursor() as cursor:
            cursor.execute(comment)

    def _vacuum_analyze(self, *models):
        # VACUUM also sets the visibility map, without which counts and deep offsets cannot use
        # index-only scans until autovacuum happens to come by.
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


if __name__ == "__main__":
    call_command(Command(), *sys.argv[1:])
