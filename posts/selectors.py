"""The read side of posts: who may see which post, and the feed with its count and its pages.

Every route that reads, edits or likes a post starts from `posts_visible_to`; the feed adds its
filters (posts.filters.PostFilter), a count that stays cheap at any size, and deep pages read
through their ids. Figures behind the thresholds are in bench/README.md.
"""

from collections.abc import Mapping

from django.core.cache import caches
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value

from core.cache import digest
from core.exceptions import Invalid, NotFound
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


def post_feed(*, user, filters: Mapping) -> "Feed":
    """The feed for `user`: visible posts that pass `filters` (the query parameters), in order."""
    posts = posts_for_reading(user=user)
    sent = {name: filters.getlist(name) for name in PostFilter.base_filters if name in filters}
    if sent:
        filterset = PostFilter(filters, queryset=posts)
        if not filterset.is_valid():
            raise Invalid(errors=filterset.errors)
        posts = filterset.qs
    return Feed(
        posts, user=user, count_key=f"posts:published-count:{digest(repr(sorted(sent.items())))}"
    )


class Feed:
    """The feed as DRF's paginator reads a queryset (`count()`, then one slice), each the cheap
    way: a total that is cached when it is large, a first page that counts itself when it has
    room to spare, and deep pages read through their ids."""

    def __init__(self, posts: QuerySet[Post], *, user, count_key: str):
        self.posts, self.user, self.count_key = posts, user, count_key
        self._first_page = None

    def count(self, *, first_page_size: int | None = None) -> int:
        """The total. With `first_page_size`, the first page is read now: if it holds fewer
        posts than that, they are all there are, without a count query."""
        if first_page_size is not None:
            self._first_page = list(self.posts[:first_page_size])
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
        cache = caches["process"]
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
        return published + self.posts.filter(published=False, owner=self.user).count()

    def __getitem__(self, page: slice) -> list[Post]:
        if page.start == 0 and self._first_page is not None:
            return self._first_page[: page.stop]
        if page.start < DEFERRED_JOIN_MIN_OFFSET:
            return list(self.posts[page])
        # Sliced as it is, the page makes the database read and join every skipped row. Its ids
        # come first instead, from a subquery the ordering index answers alone (an index-only
        # scan on PostgreSQL); only those rows are read and joined: still one query.
        return list(self.posts.filter(pk__in=self.posts.values("pk")[page]))
