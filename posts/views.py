from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.cursors import cursor_pages
from core.idempotency import idempotent
from core.openapi import IDEMPOTENCY_KEY, error_responses, idempotent_responses
from core.params import ID_PATTERN
from posts import selectors, services
from posts.filters import PostFilter
from posts.pagination import PostPagination
from posts.permissions import IsOwnerOrReadOnly
from posts.serializers import POST_ROWS, PostSerializer

WRITE_ERRORS = error_responses(400, 401, 403, 404, 415, 429)
# The home feed, paged by cursor on the time each post was published, newest first.
HOME_FEED = cursor_pages("-published_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary="The feed: published posts, and your own drafts",
        responses={200: PostSerializer(many=True), **error_responses(400, 401, 429)},
    ),
    create=extend_schema(
        summary="Write a post",
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: PostSerializer,
            **error_responses(400, 401, 415, 429),
            **idempotent_responses(),
        },
    ),
    retrieve=extend_schema(
        summary="A post",
        responses={200: PostSerializer, **error_responses(401, 404, 429)},
    ),
    update=extend_schema(
        summary="Replace your post (an omitted `published` keeps its value)",
        responses={200: PostSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of your post",
        responses={200: PostSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete your post, with its likes and comments",
        responses={204: None, **error_responses(401, 403, 404, 429)},
    ),
)
@extend_schema(tags=["posts"])
class PostViewSet(viewsets.ModelViewSet):
    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    pagination_class = PostPagination
    lookup_value_regex = ID_PATTERN
    # The schema reads the feed's parameters from here; the feed applies PostFilter itself
    # (selectors.post_feed), and a single post is never filtered by them.
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter

    def get_queryset(self):
        return selectors.posts_for_reading(user=self.request.user)

    def filter_queryset(self, queryset):
        return queryset

    def retrieve(self, request, pk=None):
        row = selectors.post_row(user=request.user, post_id=int(pk))
        return Response(POST_ROWS.render(row))

    def list(self, request):
        feed = selectors.post_feed(user=request.user, filters=request.query_params)
        if "cursor" in request.query_params:
            return self._list_by_cursor(feed)
        page = self.paginate_queryset(feed)
        return self.get_paginated_response([POST_ROWS.render(row) for row in page])

    def _list_by_cursor(self, feed):
        offsets = [name for name in ("offset", "skip") if name in self.request.query_params]
        if offsets:
            raise ValidationError({offsets[0]: ["Give a cursor or an offset, not both."]})
        rows, ordering = feed.by_cursor()
        paginator = cursor_pages(*ordering)()
        page = paginator.paginate_queryset(rows, self.request, self)
        return paginator.get_paginated_response([POST_ROWS.render(row) for row in page])

    @extend_schema(
        summary="Your home feed: the posts of the users you follow, and yours, newest first",
        responses={200: PostSerializer(many=True), **error_responses(400, 401, 429)},
        filters=False,
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=HOME_FEED,
        permission_classes=[permissions.IsAuthenticated],
    )
    def home(self, request):
        page = self.paginate_queryset(selectors.home_feed(user=request.user))
        return self.get_paginated_response([POST_ROWS.render(row) for row in page])

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/v1/posts/{data['id']}/")}

    def as_read(self, post):
        """`post` read again as every route reads it (with what other apps add), to answer; a
        post deleted since it was written (a DELETE that came right after) is not found."""
        found = self.get_queryset().filter(pk=post.pk).first()
        if found is None:
            raise selectors.PostNotFound
        return found

    def perform_create(self, serializer):
        post = services.post_create(owner=self.request.user, **serializer.validated_data)
        serializer.instance = self.as_read(post)

    def perform_update(self, serializer):
        post = services.post_update(post=serializer.instance, **serializer.validated_data)
        serializer.instance = self.as_read(post)

    def perform_destroy(self, instance):
        services.post_delete(post=instance)
