"""Benchmark data for `bench/seed.py`: users, posts, likes, follows and comments, generated from
a seed and written to PostgreSQL with COPY.

Users, posts and likes come from one `random.Random(seed)`, consumed in a fixed order, so the
same sizes and seed give the same rows (and the same search hit counts) on every machine. What
was added later (profiles, follows, comments) draws from generators of its own, seeded from the
same seed and its name: adding it left the posts, their words and the likes as they were. Timestamps are
laid out before a fixed instant for the same reason.
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
# Follows. The first HEAVY_FOLLOWERS users (bench1..bench5) each follow HEAVY_FOLLOWING_SHARE of
# all users (2,000 of 10,000), drawn uniformly: the sparsest, costliest home feed to read, about
# a fifth of all posts. Everyone else follows users drawn by popularity, a Zipf law over the
# same ranking as the posts' owners (the most followed post the most), until the total is
# reached: about 19 each, and the three most followed have 5,000 followers or more.
HEAVY_FOLLOWERS = 5
HEAVY_FOLLOWING_SHARE = 0.2
FOLLOWEE_ZIPF = 1.0
# Profiles: a display name for everyone, a bio for this share of users.
BIO_SHARE = 0.7
# Comments go to published posts by the same popularity as likes (the most liked are the most
# commented), written by users drawn by a Zipf law of their own; a moderator hid this share.
COMMENT_POST_ZIPF = 0.6
COMMENTER_ZIPF = 0.8
HIDDEN_SHARE = 0.01
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


def heavy_following(users):
    """How many users each heavy follower follows."""
    return int(users * HEAVY_FOLLOWING_SHARE)


@dataclass(frozen=True)
class Sizes:
    users: int
    posts: int
    likes: int
    follows: int
    comments: int
    seed: int

    @property
    def marker(self):
        """What the database is labelled with once seeded, to skip reseeding the same data."""
        return (
            f"seed_bench v2 users={self.users} posts={self.posts} likes={self.likes} "
            f"follows={self.follows} comments={self.comments} seed={self.seed}"
        )


class BenchData:
    """The rows of one benchmark data set, generated lazily in a fixed order.

    Users are numbered 1..users, posts 1..posts (ids ascending with `created_at`, as the API
    would create them), likes 1..likes, follows 1..follows (ascending with `created_at` too);
    the numbers are the primary keys written.
    """

    def __init__(self, sizes, password_hash):
        self.sizes = sizes
        self.password_hash = password_hash
        self.rng = self._random()
        self.words = load_words()
        self.title_weights = zipf_cum_weights(len(self.words), TITLE_ZIPF)
        self.user_created = []
        self.post_created = []
        self.published_ids = []
        # User ids, the most prolific poster first; published post ids, the most liked first.
        self.owner_ranking = []
        self.post_ranking = []

    def _random(self, name=""):
        """The generator of one part of the data: the seed's own for users, posts and likes, one
        of its own (the seed and `name`) for each part added since."""
        seed = f"{self.sizes.seed}:{name}" if name else self.sizes.seed
        return random.Random(seed)  # noqa: S311 (reproducible data, not secrets)

    def _user_times(self):
        start = END - SPAN - timedelta(days=30)
        return sorted(
            start + timedelta(seconds=self.rng.uniform(0, 30 * 86400))
            for _ in range(self.sizes.users)
        )

    def users(self):
        """(id, password, last_login, is_superuser, email, username, handle_skeleton,
        display_name, bio, followers_count, following_count, is_active, is_staff, created_at,
        token_version); the counts are set from the follows once they are written."""
        profiles = self._random("profiles")
        self.user_created = self._user_times()
        for number, created in enumerate(self.user_created, start=1):
            name = " ".join(word.capitalize() for word in profiles.sample(self.words, 2))
            bio = self._sentence(profiles) if profiles.random() < BIO_SHARE else ""
            yield (
                number,
                self.password_hash,
                None,
                False,
                bench_email(number),
                bench_username(number),
                handle_skeleton(bench_username(number)),
                name,
                bio,
                0,
                0,
                True,
                False,
                created,
                0,
            )

    def _phrase(self, rng, low, high):
        """Title words drawn by frequency, each at most once."""
        count = rng.randint(low, high)
        return dict.fromkeys(rng.choices(self.words, cum_weights=self.title_weights, k=count))

    def _sentence(self, rng):
        return " ".join(self._phrase(rng, 6, 14)).capitalize() + "."

    def posts(self):
        """(id, title, content, published, created_at, updated_at, published_at, votes,
        comments_count, owner_id): published_at is created_at for a published post, NULL for a
        draft; the counts are set from the likes (and comments) once they are written."""
        rng, sizes = self.rng, self.sizes
        owners = list(range(1, sizes.users + 1))
        rng.shuffle(owners)
        self.owner_ranking = owners
        owner_weights = zipf_cum_weights(len(owners), OWNER_ZIPF)
        span = SPAN.total_seconds()
        offsets = sorted(rng.uniform(0, span) for _ in range(sizes.posts))
        for number, offset in enumerate(offsets, start=1):
            created = END - SPAN + timedelta(seconds=offset)
            title = " ".join(self._phrase(rng, 3, 8)).capitalize()
            sentences = (self._sentence(rng) for _ in range(rng.randint(1, 4)))
            published = rng.random() >= DRAFT_SHARE
            owner = rng.choices(owners, cum_weights=owner_weights)[0]
            self.post_created.append(created)
            if published:
                self.published_ids.append(number)
            yield (
                number,
                title,
                " ".join(sentences),
                published,
                created,
                created,
                created if published else None,
                0,
                0,
                owner,
            )

    def likes(self):
        """(id, created_at, post_id, user_id): unique (user, post), published posts only.

        Call after `posts()` has been consumed: likes go to the posts it published.
        """
        rng, sizes = self.rng, self.sizes
        posts = list(self.published_ids)
        rng.shuffle(posts)
        self.post_ranking = posts
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

    def follows(self):
        """(id, created_at, follower_id, followee_id): unique pairs, nobody following themselves.

        Call after `posts()` has been consumed: followees are drawn by the posters' ranking.
        """
        rng, users = self._random("follows"), self.sizes.users
        everyone = range(1, users + 1)
        pairs = set()
        for follower in range(1, HEAVY_FOLLOWERS + 1):
            others = [user for user in everyone if user != follower]
            pairs.update(
                (follower, followee) for followee in rng.sample(others, heavy_following(users))
            )
        followers = list(range(HEAVY_FOLLOWERS + 1, users + 1))
        followee_weights = zipf_cum_weights(len(self.owner_ranking), FOLLOWEE_ZIPF)
        while len(pairs) < self.sizes.follows:
            need = self.sizes.follows - len(pairs)
            for follower, followee in zip(
                rng.choices(followers, k=need),
                rng.choices(self.owner_ranking, cum_weights=followee_weights, k=need),
                strict=True,
            ):
                if follower != followee:
                    pairs.add((follower, followee))
        # Ids ascending with created_at, as the API would create them (lists show newest first).
        dated = []
        for follower, followee in sorted(pairs):
            since = max(self.user_created[follower - 1], self.user_created[followee - 1])
            dated.append((since + (END - since) * rng.random(), follower, followee))
        dated.sort()
        for number, (created, follower, followee) in enumerate(dated, start=1):
            yield (number, created, follower, followee)

    def comments(self):
        """(id, created_at, updated_at, content, hidden, post_id, author_id), on published posts.

        Call after `likes()` has been consumed: comments go to the posts by the likes' ranking.
        """
        rng, count = self._random("comments"), self.sizes.comments
        post_weights = zipf_cum_weights(len(self.post_ranking), COMMENT_POST_ZIPF)
        authors = list(range(1, self.sizes.users + 1))
        rng.shuffle(authors)
        author_weights = zipf_cum_weights(len(authors), COMMENTER_ZIPF)
        dated = []
        for post, author in zip(
            rng.choices(self.post_ranking, cum_weights=post_weights, k=count),
            rng.choices(authors, cum_weights=author_weights, k=count),
            strict=True,
        ):
            since = max(self.post_created[post - 1], self.user_created[author - 1])
            dated.append((since + (END - since) * rng.random(), post, author))
        # Ids ascending with created_at, as the API would create them (lists show oldest first).
        dated.sort()
        for number, (created, post, author) in enumerate(dated, start=1):
            content = " ".join(self._sentence(rng) for _ in range(rng.randint(1, 2)))
            yield (number, created, created, content, rng.random() < HIDDEN_SHARE, post, author)


def batched(rows, size):
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
