"""The read side of posts: who may see which post, and the feed with its count and its pages.

Every route that reads, edits or likes a post starts from `posts_visible_to`; the feed adds its
filters (posts.filters.PostFilter), a count that stays cheap at any size, and deep pages read
through their ids. Figures behind the thresholds are in bench/README.md.
"""

from collections.abc import Mapping
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value

from accounts.models import User
from core.db import PreparedReads
from core.exceptions import Invalid, NotFound
from core.shared import digest
from posts.filters import PostFilter
from posts.models import Post

# Counting every published post costs more than the page itself once there are many, and grows
# with the table: a total of at least COUNT_CACHE_MIN_ROWS is kept COUNT_CACHE_SECONDS by each
# process and shared by its callers, so it may lag that long behind new posts. Kept in the
# process, not in Redis: a round trip per page would cost more than a count per process every
# few seconds.
COUNT_CACHE_SECONDS = 5
COUNT_CACHE_MIN_ROWS = 1000
# Below this offset a page is read as sliced; the deferred join pays off only when there are
# rows to skip, and costs a more complex plan on the first pages.
DEFERRED_JOIN_MIN_OFFSET = 1000
# A post as the API shows it (posts.serializers.PostSerializer), as columns: pages are read as
# values, not model instances.
POST_COLUMNS = (
    *("id", "title", "content", "published", "created_at", "updated_at", "votes", "voted"),
    *("owner_id", "owner__username"),
)
_prepared = PreparedReads()


class PostNotFound(NotFound):
    """No post with this id, or not one the caller may see (someone else's draft)."""


def posts_visible_to(user) -> QuerySet[Post]:
    """Published posts, plus the caller's own drafts: what a caller may see, on every route."""
    if not user.is_authenticated:
        return Post.objects.filter(published=True)
    return Post.objects.filter(Q(published=True) | Q(owner=user))


def posts_for_reading(*, user) -> QuerySet[Post]:
    """Visible posts as the API shows them: with their owner, and `voted`, whether `user`
    likes each (always false for an anonymous caller)."""
    posts = posts_visible_to(user).select_related("owner")
    if not user.is_authenticated:
        return posts.annotate(voted=Value(False, output_field=BooleanField()))
    # The likes are the relation the votes app declares on Post; posts does not import it.
    Like = Post._meta.get_field("likes").related_model
    return posts.annotate(voted=Exists(Like.objects.filter(post=OuterRef("pk"), user=user)))


# The largest id a PostgreSQL bigint holds: a larger one names no post.
_MAX_ID = 2**63 - 1


def post_row(*, user, post_id) -> dict:
    """One post `user` may see, as a row of POST_COLUMNS; PostNotFound otherwise."""
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise PostNotFound from None
    if not 0 < post_id <= _MAX_ID:
        raise PostNotFound
    values = {"post": post_id}
    if user.is_authenticated:
        values["user"] = user.pk
    if _prepared.supported():
        rows = _prepared.rows(("post", "user" in values), _post, **values)
    else:
        rows = list(_post(**values))
    if not rows:
        raise PostNotFound
    return rows[0]


def _post(post, user=None):
    reader = AnonymousUser() if user is None else User(pk=user)
    return posts_for_reading(user=reader).filter(pk=post).values(*POST_COLUMNS)


def post_feed(*, user, filters: Mapping) -> "Feed":
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


def _filtered(filterset, posts, cleaned):
    """`posts` that pass the feed's filters, whose values are `cleaned` (as the form cleans them)."""
    for name, value in cleaned.items():
        posts = filterset.filters[name].filter(posts, value)
    return posts


def _own_drafts_count(user):
    return (
        Post.objects.filter(owner_id=user, published=False)
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


class Feed:
    """The feed as DRF's paginator reads a queryset (`count()`, then one slice), each the cheap
    way: a total that is cached when it is large, a first page that counts itself when it has
    room to spare, and deep pages read through their ids. Pages are rows (POST_COLUMNS); on
    PostgreSQL shallow pages skip the ORM's compiler (core.db.PreparedReads): a page of the same
    shape (the same filters, ordering and page, other values) reuses the same SQL."""

    def __init__(self, filterset, cleaned, *, user, count_key):
        self.filterset, self.cleaned, self.user, self.count_key = (
            filterset,
            cleaned,
            user,
            count_key,
        )
        self._first_page = None

    @cached_property
    def posts(self) -> QuerySet[Post]:
        """The feed as a queryset, built when a page or a count needs the ORM."""
        return _filtered(self.filterset, posts_for_reading(user=self.user), self.cleaned)

    def count(self, *, first_page_size: int | None = None) -> int:
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
        published = cache.get(self.count_key)
        if published is None:
            counts = self.posts.aggregate(
                total=Count("pk"), published=Count("pk", filter=Q(published=True))
            )
            if counts["published"] >= COUNT_CACHE_MIN_ROWS:
                cache.set(self.count_key, counts["published"], COUNT_CACHE_SECONDS)
            return counts["total"]
        if not self.user.is_authenticated:
            return published
        if not self.cleaned and _prepared.supported():
            own = _prepared.rows(("own drafts",), _own_drafts_count, user=self.user.pk)
            return published + (own[0]["n"] if own else 0)
        return published + self.posts.filter(published=False, owner=self.user).count()

    def __getitem__(self, page: slice) -> list[dict]:
        if page.start == 0 and self._first_page is not None:
            return self._first_page[: page.stop]
        if page.start < DEFERRED_JOIN_MIN_OFFSET:
            if _prepared.supported():
                return self._prepared_page(page)
            return list(self.posts.values(*POST_COLUMNS)[page])
        # Sliced as it is, the page makes the database read and join every skipped row. Its ids
        # come first instead, from a subquery the ordering index answers alone (an index-only
        # scan on PostgreSQL); only those rows are read and joined: still one query.
        page_ids = self.posts.values("pk")[page]
        return list(self.posts.filter(pk__in=page_ids).values(*POST_COLUMNS))

    def _prepared_page(self, page: slice) -> list[dict]:
        """The page through prepared SQL: the caller, the owner filter and the search terms
        are values; everything else (which filters, their choices, the ordering, the page) is
        the query's shape."""
        cleaned = dict(self.cleaned)
        values = {}
        if self.user.is_authenticated:
            values["user"] = self.user.pk
        if cleaned.get("owner") is not None:
            values["owner"] = cleaned.pop("owner")
        terms = cleaned.pop("search", None) or []
        values.update((f"term{n}", term) for n, term in enumerate(terms))
        shape = (
            "feed",
            "user" in values,
            "owner" in values,
            len(terms),
            repr(sorted(cleaned.items())),
        )

        def build(user=None, owner=None, **sentinel_terms):
            reader = AnonymousUser() if user is None else User(pk=user)
            query = dict(cleaned)
            if owner is not None:
                query["owner"] = owner
            if sentinel_terms:
                query["search"] = [sentinel_terms[f"term{n}"] for n in range(len(terms))]
            posts = _filtered(self.filterset, posts_for_reading(user=reader), query)
            return posts.values(*POST_COLUMNS)

        return _prepared.rows(shape, build, page=page, **values)
