import hashlib

from django.core.cache import cache
from django.db.models import Count, Q
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param

from posts.filters import INTEGER_LITERAL, REPEATED_PARAMETER, repeated_parameters

MAX_LIMIT = 100
# Counting every published post costs tens of milliseconds at 200,000 posts, more than the
# page itself, and grows with the table. A count that large is kept this many seconds per
# process (per cache), so the total may lag that long behind new posts; smaller counts are
# cheap and always exact (PostPagination.get_count).
COUNT_CACHE_SECONDS = 5
COUNT_CACHE_MIN_ROWS = 1000
COUNT_NEUTRAL_PARAMETERS = {"limit", "offset", "skip", "ordering"}
# Below this offset a page is read as DRF reads it; the deferred join (below) pays off only
# when there are rows to skip, and costs a more complex plan on the first pages.
DEFERRED_JOIN_MIN_OFFSET = 1000


class IntegerParameter(serializers.IntegerField):
    """An integer query parameter, written as an integer (DRF's field also takes `5.0`)."""

    def to_internal_value(self, data):
        if not INTEGER_LITERAL.fullmatch(str(data)):
            self.fail("invalid")
        return super().to_internal_value(data)


class PageParamsSerializer(serializers.Serializer):
    """The paging query parameters; a bad value is a 400 keyed by its name, never a default."""

    limit = IntegerParameter(required=False, min_value=1)
    offset = IntegerParameter(required=False, min_value=0)
    skip = IntegerParameter(required=False, min_value=0)

    def validate(self, attrs):
        if "offset" in attrs and "skip" in attrs:
            raise serializers.ValidationError({"skip": ["Give offset or skip, not both."]})
        return attrs


class PostPagination(LimitOffsetPagination):
    """DRF's limit/offset paging, strict: `limit` from 1 (clamped to 100), `skip` an alias of
    `offset`; the links always say `offset`."""

    default_limit = 10
    max_limit = MAX_LIMIT
    offset_alias = "skip"

    def paginate_queryset(self, queryset, request, view=None):
        repeated = repeated_parameters(request.query_params, PageParamsSerializer().fields)
        if repeated:
            raise serializers.ValidationError({name: [REPEATED_PARAMETER] for name in repeated})
        # A plain dict: given a QueryDict, DRF would read `limit=` as "not given".
        params = PageParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        self.params = params.validated_data
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        if self.offset == 0:
            # A first page with room to spare holds every row there is: its length is the
            # exact total, without the count query (for a search, a second index scan).
            page = list(queryset[: self.limit])
            self.count = len(page) if len(page) < self.limit else self.get_count(queryset)
            return page
        self.count = self.get_count(queryset)
        if self.count == 0 or self.offset > self.count:
            return []
        if self.offset < DEFERRED_JOIN_MIN_OFFSET:
            return list(queryset[self.offset : self.offset + self.limit])
        # Sliced as it is, the queryset makes the database read and join every skipped row
        # (250 ms at offset 100,000). Deep pages take their ids first, in a subquery that the
        # ordering index answers alone (an index-only scan on PostgreSQL), and read and join
        # only those rows: still one query.
        page_ids = queryset.values("pk")[self.offset : self.offset + self.limit]
        return list(queryset.filter(pk__in=page_ids))

    def get_count(self, queryset):
        """The total of the feed, whose queryset is `visible_to(caller)`: the published posts
        that pass the filters, plus the caller's own drafts that do.

        Many published posts are counted once per COUNT_CACHE_SECONDS (per cache) and the
        figure shared by every caller: keyed by the route and the filter parameters, as paging
        and ordering do not change it. The caller's drafts are counted exactly on each request
        while that figure is cached, with their owner's index. A count per caller instead would
        scan every visible post again for each one (68 ms at 200,000 posts).
        """
        request = self.request
        filters = sorted(
            (name, values)
            for name, values in request.query_params.lists()
            if name not in COUNT_NEUTRAL_PARAMETERS
        )
        identity = repr((request.path, filters)).encode()
        key = f"posts:published-count:{hashlib.blake2b(identity, digest_size=16).hexdigest()}"
        published = cache.get(key)
        if published is None:
            counts = queryset.aggregate(
                total=Count("pk"), published=Count("pk", filter=Q(published=True))
            )
            if counts["published"] >= COUNT_CACHE_MIN_ROWS:
                cache.set(key, counts["published"], COUNT_CACHE_SECONDS)
            return counts["total"]
        if not request.user.is_authenticated:
            return published
        return published + queryset.filter(published=False, owner=request.user).count()

    def get_limit(self, request):
        return min(self.params.get("limit", self.default_limit), self.max_limit)

    def get_offset(self, request):
        return self.params.get("offset", self.params.get(self.offset_alias, 0))

    def get_next_link(self):
        link = super().get_next_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_previous_link(self):
        link = super().get_previous_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["required"] = ["count", "next", "previous", "results"]
        links = response_schema["properties"]
        links["next"]["example"] = "http://127.0.0.1:8000/api/v1/posts/?limit=10&offset=30"
        links["previous"]["example"] = "http://127.0.0.1:8000/api/v1/posts/?limit=10&offset=10"
        return response_schema

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, **schema):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", **schema},
            }

        return [
            parameter(
                self.limit_query_param,
                f"Page size, from 1; larger than {self.max_limit} is clamped to {self.max_limit}.",
                minimum=1,
                default=self.default_limit,
            ),
            parameter(
                self.offset_query_param,
                "How many posts to skip.",
                minimum=0,
                default=0,
            ),
            parameter(
                self.offset_alias,
                f"Alias of `{self.offset_query_param}`; give one or the other.",
                minimum=0,
            ),
        ]
