"""Benchmark data for `bench/seed.py`: users, posts and likes, generated from a seed and
written to PostgreSQL with COPY.

Everything random comes from one `random.Random(seed)`, consumed in a fixed order, so the same
sizes and seed give the same rows (and the same search hit counts) on every machine. Timestamps
are laid out before a fixed instant for the same reason.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from accounts.identifiers import handle_skeleton

BENCH_EMAIL_DOMAIN = "bench.agora.invalid"
# Every bench user logs in with this password (hashed once at seeding time).
BENCH_PASSWORD = "bench-agora-password"  # noqa: S105 (a documented benchmark password)

WORDS_FILE = Path(__file__).with_name("words.txt")
# Zipf exponents: title words (a few words in most titles, most words in few), the posts likes
# go to (a long tail, but no post liked by every user), the users who like and who post.
TITLE_ZIPF = 1.0
POST_POPULARITY_ZIPF = 0.6
LIKER_ZIPF = 0.5
OWNER_ZIPF = 0.8
DRAFT_SHARE = 0.05
# The data spans two years before this instant; fixed, so reruns give identical rows.
END = datetime(2026, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)


def bench_email(number):
    return f"bench{number}@{BENCH_EMAIL_DOMAIN}"


def bench_username(number):
    return f"bench{number}"


def load_words():
    """The title vocabulary, most frequent first."""
    lines = WORDS_FILE.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def zipf_cum_weights(n, exponent):
    """Cumulative weights of ranks 1..n under a Zipf law, for `random.choices`."""
    return list(itertools.accumulate(rank**-exponent for rank in range(1, n + 1)))


@dataclass(frozen=True)
class Sizes:
    users: int
    posts: int
    likes: int
    seed: int

    @property
    def marker(self):
        """What the database is labelled with once seeded, to skip reseeding the same data."""
        return (
            f"seed_bench v1 users={self.users} posts={self.posts} "
            f"likes={self.likes} seed={self.seed}"
        )


class BenchData:
    """The rows of one benchmark data set, generated lazily in a fixed order.

    Users are numbered 1..users, posts 1..posts (ids ascending with `created_at`, as the API
    would create them), likes 1..likes; the numbers are the primary keys written.
    """

    def __init__(self, sizes, password_hash):
        self.sizes = sizes
        self.password_hash = password_hash
        self.rng = random.Random(sizes.seed)  # noqa: S311 (reproducible data, not secrets)
        self.words = load_words()
        self.post_created = []
        self.published_ids = []

    def _user_times(self):
        start = END - SPAN - timedelta(days=30)
        return sorted(
            start + timedelta(seconds=self.rng.uniform(0, 30 * 86400))
            for _ in range(self.sizes.users)
        )

    def users(self):
        """(id, password, last_login, is_superuser, email, username, handle_skeleton, is_active,
        is_staff, created_at, token_version)"""
        for number, created in enumerate(self._user_times(), start=1):
            yield (
                number,
                self.password_hash,
                None,
                False,
                bench_email(number),
                bench_username(number),
                handle_skeleton(bench_username(number)),
                True,
                False,
                created,
                0,
            )

    def _phrase(self, cum_weights, low, high):
        """Words drawn by frequency, each at most once."""
        count = self.rng.randint(low, high)
        return dict.fromkeys(self.rng.choices(self.words, cum_weights=cum_weights, k=count))

    def posts(self):
        """(id, title, content, published, created_at, updated_at, votes, owner_id)"""
        rng, sizes = self.rng, self.sizes
        title_weights = zipf_cum_weights(len(self.words), TITLE_ZIPF)
        owners = list(range(1, sizes.users + 1))
        rng.shuffle(owners)
        owner_weights = zipf_cum_weights(len(owners), OWNER_ZIPF)
        span = SPAN.total_seconds()
        offsets = sorted(rng.uniform(0, span) for _ in range(sizes.posts))
        for number, offset in enumerate(offsets, start=1):
            created = END - SPAN + timedelta(seconds=offset)
            title = " ".join(self._phrase(title_weights, 3, 8)).capitalize()
            sentences = (
                " ".join(self._phrase(title_weights, 6, 14)).capitalize() + "."
                for _ in range(rng.randint(1, 4))
            )
            published = rng.random() >= DRAFT_SHARE
            owner = rng.choices(owners, cum_weights=owner_weights)[0]
            self.post_created.append(created)
            if published:
                self.published_ids.append(number)
            yield (number, title, " ".join(sentences), published, created, created, 0, owner)

    def likes(self):
        """(id, created_at, post_id, user_id): unique (user, post), published posts only.

        Call after `posts()` has been consumed: likes go to the posts it published.
        """
        rng, sizes = self.rng, self.sizes
        posts = list(self.published_ids)
        rng.shuffle(posts)
        post_weights = zipf_cum_weights(len(posts), POST_POPULARITY_ZIPF)
        likers = list(range(1, sizes.users + 1))
        rng.shuffle(likers)
        liker_weights = zipf_cum_weights(len(likers), LIKER_ZIPF)
        seen = set()
        number = 0
        while number < sizes.likes:
            need = sizes.likes - number
            for user, post in zip(
                rng.choices(likers, cum_weights=liker_weights, k=need),
                rng.choices(posts, cum_weights=post_weights, k=need),
                strict=True,
            ):
                if (user, post) in seen:
                    continue
                seen.add((user, post))
                number += 1
                created = self.post_created[post - 1]
                created += (END - created) * rng.random()
                yield (number, created, post, user)


def batched(rows, size):
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
