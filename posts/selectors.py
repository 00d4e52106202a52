"""The read side of posts: who may see which post, and the feed with its count and its pages.

Every route that reads, edits or likes a post starts from `posts_visible_to`. A post is shown
from a row of `posts_for_reading(...).values(*POST_ROWS.columns)`, read through posts.sql. The
feed adds its filters (posts.filters.PostFilter), a count that stays cheap at any size, and deep
pages read through their ids. Figures behind the thresholds are in bench/README.md.
"""

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from accounts.models import User
from core.db import PreparedQuery
from core.exceptions import Invalid, NotFound
from core.flights import SingleFlight
from core.shared import digest
from posts import sql
from posts.extensions import Reader, added_post_fields
from posts.filters import PostFilter
from posts.models import Post
from posts.pagination import MAX_LIMIT
from posts.serializers import POST_ROWS
from relationships.selectors import followed_ids

Row = dict[str, Any]
Rows = QuerySet[Post, Row]
# The feed's filters as its form cleans them: {parameter: value}.
Cleaned = Mapping[str, Any]

# Counting every published post costs more than the page itself once there are many, and grows
# with the table: a total of at least COUNT_CACHE_MIN_ROWS is kept COUNT_CACHE_SECONDS by each
# process and shared by its callers, so it may lag that long behind new posts. Kept in the
# process, not in Redis: a round trip per page would cost more than a count per process every
# few seconds.
COUNT_CACHE_SECONDS = 5
COUNT_CACHE_MIN_ROWS = 1000
# The published totals being counted now, each by one caller for all who ask meanwhile.
_PUBLISHED_COUNTS: SingleFlight[int] = SingleFlight()
# Below this offset a page is read as sliced; the deferred join pays off only when there are
# rows to skip, and costs a more complex plan on the first pages.
DEFERRED_JOIN_MIN_OFFSET = 1000
# Where the pages read as sliced end, at most.
SHALLOW_PAGES_END = DEFERRED_JOIN_MIN_OFFSET + MAX_LIMIT
# A home feed lists the ids of this many followed users at most in its query (home_feed).
HOME_FEED_LISTED_FOLLOWS = 100
# The feed pages by cursor in one of these orders (or its reverse) only.
CURSOR_ORDERINGS = ("published_at", "created_at")
CURSOR_ORDERING_MESSAGE = (
    "Paging by cursor follows one ordering by time: -published_at, published_at, -created_at "
    "or created_at."
)
# The largest id a PostgreSQL bigint holds: a larger one names no post.
_MAX_ID = 2**63 - 1


class PostNotFound(NotFound):
    """No post with this id, or not one the caller may see (someone else's draft)."""


def posts_visible_to(user: Reader) -> QuerySet[Post]:
    """Published posts, plus the caller's own drafts: what a caller may see, on every route."""
    if not user.is_authenticated:
        return Post.objects.filter(published=True)
    return Post.objects.filter(Q(published=True) | Q(owner=user))


def posts_for_reading(*, user: Reader) -> QuerySet[Post]:
    """Visible posts as the API shows them: with their owner, and with what other apps add to
    a post for this caller (posts.extensions)."""
    return added_post_fields.annotate(posts_visible_to(user).select_related("owner"), user)


def home_feed(*, user: User) -> "PreparedQuery | Rows":
    """The home feed of `user`: the published posts of the users they follow, and their own,
    as rows of POST_ROWS.columns, for paging by (published_at, id), newest first.

    Fan-out on read (bench/README.md says why). The followed ids are read first, up to
    HOME_FEED_LISTED_FOLLOWS of them: for a caller who follows that many or fewer, the page's
    query carries them, and the database plans it with the list itself (few posts among them:
    each one's newest through the (owner, published_at) index; many: the newest published posts
    through the feed's index until the page is full). For a caller who follows more, the page
    reads the follows itself, and the feed's index until the page is full: such a list costs
    more to write into the query, and to plan, than the page (20-25 ms of Python at 2,000).
    Blocks need no filter here: a block ends the follows between its two users, and no follow
    can start while it stands.
    """
    follows = followed_ids(user.pk)
    listed = list(follows.values_list("followee_id", flat=True)[: HOME_FEED_LISTED_FOLLOWS + 1])
    if len(listed) > HOME_FEED_LISTED_FOLLOWS:
        return sql.pageable(("home", "follows"), _home_rows, {"user": user.pk})
    # Padded with the caller's own id to a size of a few: one shape per size.
    size = next(size for size in _LISTED_SIZES if size >= len(listed))
    padded = [*listed, *[user.pk] * (size - len(listed))]
    owners = {f"owner{n}": owner for n, owner in enumerate(padded)}
    return sql.pageable(("home", size), _home_rows, {"user": user.pk, **owners})


# The sizes of the lists of followed ids a home feed's query carries.
_LISTED_SIZES = (8, 32, HOME_FEED_LISTED_FOLLOWS)


def _home_rows(user: int, **owners: int) -> Rows:
    """The rows of a home feed: the user's, and those of `owners`, else of everyone they
    follow."""
    followed = list(owners.values()) if owners else followed_ids(user)
    posts = Post.objects.filter(
        Q(owner_id=user) | Q(owner_id__in=followed), published=True
    ).select_related("owner")
    rows: Rows = added_post_fields.annotate(posts, _reader(user)).values(*POST_ROWS.columns)
    return rows


def _reader(user_id: int | None = None) -> Reader:
    return AnonymousUser() if user_id is None else User(pk=user_id)


def _values_of(user: Reader) -> dict[str, int]:
    return {"user": user.pk} if user.is_authenticated else {}


def post_row(*, user: Reader, post_id: int) -> Row:
    """One post `user` may see, as a row of POST_ROWS.columns; PostNotFound otherwise."""
    if not 0 < post_id <= _MAX_ID:
        raise PostNotFound
    values = {"post": post_id, **_values_of(user)}
    found = sql.rows(("post", "user" in values), _one_post, values)
    if not found:
        raise PostNotFound
    return found[0]


def check_visible(*, user: Reader, post_id: int) -> None:
    """PostNotFound unless `user` may see post `post_id`."""
    if not 0 < post_id <= _MAX_ID:
        raise PostNotFound
    values = {"post": post_id, **_values_of(user)}
    if not sql.rows(("visible", "user" in values), _visible, values):
        raise PostNotFound


def _visible(post: int, user: int | None = None) -> "QuerySet[Post, Any]":
    return posts_visible_to(_reader(user)).filter(pk=post).values("pk")


def _one_post(post: int, user: int | None = None) -> Rows:
    rows: Rows = posts_for_reading(user=_reader(user)).filter(pk=post).values(*POST_ROWS.columns)
    return rows


def post_feed(*, user: Reader, filters: QueryDict) -> "Feed":
    """The feed for `user`: visible posts that pass `filters` (the query parameters), in order."""
    sent = {name: filters.getlist(name) for name in PostFilter.base_filters if name in filters}
    # The total depends on the filters, not on the ordering (nor on the page).
    counted = {name: value for name, value in sent.items() if name != "ordering"}
    count_key = f"posts:published-count:{digest(repr(sorted(counted.items())))}"
    if not sent:
        return Feed(None, {}, user=user, count_key=count_key)
    filterset = PostFilter(filters, queryset=Post.objects.all())
    if not filterset.is_valid():
        raise Invalid(errors=filterset.errors)
    return Feed(filterset, filterset.form.cleaned_data, user=user, count_key=count_key)


def _filtered(
    filterset: PostFilter | None, posts: QuerySet[Post], cleaned: Cleaned
) -> QuerySet[Post]:
    """`posts` that pass the feed's filters, whose values are `cleaned` (as the form cleans them).
    The ordering comes last: when it is given, it replaces the relevance order of `q`."""
    if filterset is None:
        return posts
    for name, value in sorted(cleaned.items(), key=lambda item: item[0] == "ordering"):
        posts = filterset.filters[name].filter(posts, value)
    return posts


def _own_drafts_count(user: int) -> Rows:
    return (
        Post.objects.filter(owner_id=user, published=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


class Feed:
    """The feed's pages (posts.pagination.Pages): its `total`, each the cheap way (a total that
    is cached when it is large, a first page that counts itself when it has room to spare), and
    its pages by slicing, deep ones read through their ids."""

    def __init__(
        self, filterset: PostFilter | None, cleaned: Cleaned, *, user: Reader, count_key: str
    ):
        self.filterset, self.cleaned, self.user = filterset, cleaned, user
        self.count_key = count_key
        self._first_page: list[Row] | None = None

    @cached_property
    def posts(self) -> QuerySet[Post]:
        """The feed as a queryset, built when a deep page or a filtered count needs the ORM."""
        return _filtered(self.filterset, posts_for_reading(user=self.user), self.cleaned)

    def total(self, *, first_page_size: int | None = None) -> int:
        """The total. With `first_page_size`, the first page is read now: if it holds fewer
        posts than that, they are all there are, without a count query."""
        if first_page_size is not None:
            self._first_page = self[0:first_page_size]
            if len(self._first_page) < first_page_size:
                return len(self._first_page)
        return self._total()

    def _total(self) -> int:
        """Published posts that pass the filters, plus the caller's own drafts that do.

        The published part is counted once per COUNT_CACHE_SECONDS and shared by the callers
        (keyed by the filters; paging and ordering do not change it); the caller's drafts are
        counted exactly on each request, with their owner's index. A count per caller would scan
        every visible post again for each one.
        """
        cache = caches["default"]
        published: int | None = cache.get(self.count_key)
        if published is None:
            own_total: list[int] = []

            def count() -> int:
                counts = self.posts.aggregate(
                    total=Count("pk"), published=Count("pk", filter=Q(published=True))
                )
                own_total.append(counts["total"])
                if counts["published"] >= COUNT_CACHE_MIN_ROWS:
                    cache.set(self.count_key, counts["published"], COUNT_CACHE_SECONDS)
                return int(counts["published"])

            # The callers who miss the same total at once wait for one count (core.flights),
            # then add their own drafts.
            published = _PUBLISHED_COUNTS.run(self.count_key, count)
            if own_total:
                return own_total[0]
        if not self.user.is_authenticated:
            return published
        if not self.cleaned:
            own = sql.rows(("own drafts",), _own_drafts_count, {"user": self.user.pk})
            drafts: int = own[0]["n"] if own else 0
            return published + drafts
        return published + self.posts.filter(published=False, owner=self.user).count()

    def by_cursor(self) -> tuple["PreparedQuery | Rows", tuple[str, str]]:
        """The feed's published posts for paging by cursor, and the order to page them in: the
        one ordering field given (by default `-published_at`), then `-id`. Invalid for an
        ordering that is not by time: positions among equal like counts would need offsets as
        long as the ties."""
        ordering = list(self.cleaned.get("ordering") or ["-published_at"])
        if len(ordering) > 1 or ordering[0].removeprefix("-") not in CURSOR_ORDERINGS:
            raise Invalid(CURSOR_ORDERING_MESSAGE, field="cursor")
        return sql.pageable(*self._prepared(published_only=True)), (ordering[0], "-id")

    def __getitem__(self, page: slice) -> list[Row]:
        if page.start == 0 and self._first_page is not None:
            return self._first_page[: page.stop]
        if page.start < DEFERRED_JOIN_MIN_OFFSET:
            return self._shallow_page(page)
        # Sliced as it is, the page makes the database read and join every skipped row. Its ids
        # come first instead, from a subquery the ordering index answers alone (an index-only
        # scan on PostgreSQL); only those rows are read and joined: still one query.
        page_ids = self.posts.values("pk")[page]
        return list(self.posts.filter(pk__in=page_ids).values(*POST_ROWS.columns))

    def _shallow_page(self, page: slice) -> list[Row]:
        """The page as compiled once per shape (posts.sql)."""
        shape, build, values = self._prepared(published_only=False)
        return sql.rows(shape, build, values, page=page)

    def _prepared(
        self, *, published_only: bool
    ) -> tuple[tuple[Any, ...], Callable[..., "Rows"], dict[str, int | str]]:
        """The feed's rows as posts.sql reads them: (shape, build, values). Its values, declared
        here: the caller, the owner filter, the full-text query and each search term. Its
        shape: which of them are set, the other filters' choices and the ordering."""
        cleaned = dict(self.cleaned)
        owner = cleaned.pop("owner", None)
        q = cleaned.pop("q", None) or None
        terms = cleaned.pop("search", None) or []
        values: dict[str, int | str] = {
            **_values_of(self.user),
            **({"owner": owner} if owner is not None else {}),
            **({"q": q} if q is not None else {}),
            **{f"term{n}": term for n, term in enumerate(terms)},
        }
        # The caller's never-published drafts come first (as NULLs sort), unless another
        # ordering, or the relevance of `q`, comes first.
        drafts_first = (
            not published_only
            and q is None
            and (cleaned.get("ordering") or ["-published_at"])[0] == "-published_at"
        )
        shape = (
            "feed",
            published_only,
            "user" in values,
            owner is not None,
            q is not None,
            len(terms),
            repr(sorted(cleaned.items())),
        )

        def build(
            user: int | None = None,
            owner: int | None = None,
            q: str | None = None,
            **term_values: str,
        ) -> Rows:
            query = dict(cleaned)
            if owner is not None:
                query["owner"] = owner
            if q is not None:
                query["q"] = q
            if term_values:
                query["search"] = [term_values[f"term{n}"] for n in range(len(terms))]
            posts = _filtered(self.filterset, posts_for_reading(user=_reader(user)), query)
            if published_only:
                posts = posts.filter(published=True)
            rows: Rows = posts.values(*POST_ROWS.columns)
            if user is not None and drafts_first:
                return sql.own_drafts_first(rows, user=user, within=SHALLOW_PAGES_END)
            return rows

        return shape, build, values
