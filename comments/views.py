from django.db.models import F
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from comments import selectors, services
from comments.permissions import IsAuthor, IsAuthorOrPostOwner
from comments.serializers import ANSWER_EXAMPLE, COMMENT_ROWS, CommentSerializer
from core.cursors import cursor_pages
from core.openapi import ErrorSerializer, error_responses
from core.params import ID_PATTERN

POST_ID = OpenApiParameter(
    "id",
    str,
    OpenApiParameter.PATH,
    pattern=f"^{ID_PATTERN}$",
    description="The id of the post the comments are on.",
)
LOCATION = OpenApiParameter(
    "Location",
    str,
    OpenApiParameter.HEADER,
    response=[201],
    required=True,
    description="The URL of the new comment.",
)

ONE_COMMENT = OpenApiResponse(CommentSerializer, examples=[ANSWER_EXAMPLE])


@extend_schema_view(
    list=extend_schema(
        summary="A post's comments, oldest first",
        description="Whoever can see the post can read its comments; hidden ones are left "
        "out, and for a signed-in caller so are those of users a block stands between them "
        "and (a page may then hold fewer than `limit`: follow `next` until it is null).",
        parameters=[POST_ID],
        responses={200: CommentSerializer(many=True), **error_responses(400, 401, 404, 429)},
    ),
    create=extend_schema(
        summary="Comment on a post",
        description="Whoever can see the post can comment on it, unless a block stands "
        "between them and its owner.",
        parameters=[POST_ID, LOCATION],
        responses={
            201: OpenApiResponse(
                CommentSerializer, description="Written.", examples=[ANSWER_EXAMPLE]
            ),
            **error_responses(400, 401, 415, 429),
            403: OpenApiResponse(
                ErrorSerializer, description="A block stands between you and the post's owner."
            ),
            404: OpenApiResponse(
                ErrorSerializer,
                description="Unknown post, or not visible to you (someone else's draft).",
            ),
        },
    ),
)
@extend_schema(tags=["comments"])
class PostCommentViewSet(viewsets.GenericViewSet):
    """The comments of the post in the path, /posts/{id}/comments/."""

    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = cursor_pages("id")

    @property
    def post_id(self) -> int:
        return int(self.kwargs["id"])

    def list(self, request, *args, **kwargs):
        rows = selectors.post_comments(user=request.user, post_id=self.post_id)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([COMMENT_ROWS.render(row) for row in page])

    def create(self, request, *args, **kwargs):
        # The contract checks the post (404) and a block (403) before the body (400, 415); the
        # service checks them again with the post locked.
        selectors.check_may_comment(user=request.user, post_id=self.post_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(
            author=request.user, post_id=self.post_id, **serializer.validated_data
        )
        # Reversing drops the router's optional slash; the URL as the schema lists it has one.
        location = request.build_absolute_uri(f"{reverse('comment-detail', args=[comment.pk])}/")
        return Response(
            _read(request, comment.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="A comment",
        description="Readable by whoever can see its post, unless a moderator hid it.",
        responses={200: ONE_COMMENT, **error_responses(401, 404, 429)},
    ),
    partial_update=extend_schema(
        summary="Change your comment",
        description="Its author only; not while a block stands between them and the post's owner.",
        responses={200: ONE_COMMENT, **error_responses(400, 401, 403, 404, 415, 429)},
    ),
    destroy=extend_schema(
        summary="Delete your comment, or a comment on your post",
        description="Its author, or the owner of the post it is on.",
        responses={204: None, **error_responses(401, 403, 404, 429)},
    ),
)
@extend_schema(tags=["comments"])
class CommentViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """A comment, /comments/{id}/: read by whoever sees its post, changed by its author, deleted
    by its author or the post's owner."""

    serializer_class = CommentSerializer
    lookup_value_regex = ID_PATTERN

    def get_permissions(self):
        if self.action == "partial_update":
            return [permissions.IsAuthenticated(), IsAuthor()]
        if self.action == "destroy":
            return [permissions.IsAuthenticated(), IsAuthorOrPostOwner()]
        return [permissions.AllowAny()]

    def get_queryset(self):
        return selectors.comments_visible_to(self.request.user).annotate(
            post_owner_id=F("post__owner_id")
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(_read(request, int(kwargs["pk"])))

    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        # A block (403) before the body (400, 415), as on a new comment.
        selectors.check_may_comment(user=request.user, post_id=comment.post_id)
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "content" in serializer.validated_data:
            services.comment_update(comment=comment, **serializer.validated_data)
        return Response(_read(request, comment.pk))

    def perform_destroy(self, instance):
        services.comment_delete(comment=instance)


def _read(request, comment_id: int) -> dict:
    """The comment as every route shows it to the caller."""
    return COMMENT_ROWS.render(selectors.comment_row(user=request.user, comment_id=comment_id))
