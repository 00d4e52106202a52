from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.selectors import profile
from accounts.serializers import PROFILE_ROWS, PublicUserSerializer, UserSummarySerializer
from core.cursors import cursor_pages
from core.openapi import ErrorSerializer, error_responses
from core.params import ID_PATTERN
from core.responses import created
from relationships import selectors, services
from relationships.serializers import (
    BlockedSerializer,
    FolloweeSerializer,
    FollowerSerializer,
)

NEWEST_FIRST = cursor_pages("-id")


def _changed(*, conflict: str, missing: str) -> dict:
    return {
        **error_responses(400, 401, 403, 429),
        404: OpenApiResponse(ErrorSerializer, description=f"Unknown user; {missing}"),
        409: OpenApiResponse(ErrorSerializer, description=conflict),
    }


@extend_schema(tags=["users"])
class RelationshipViewSet(viewsets.GenericViewSet):
    """Follows and blocks, under /users/: each write answers the other user's profile as the
    caller now sees it."""

    lookup_value_regex = ID_PATTERN
    pagination_class = NEWEST_FIRST
    # What OPTIONS describes (DRF's metadata): the profile each write answers; they take no body.
    serializer_class = PublicUserSerializer

    def get_permissions(self):
        if self.action in ("followers", "following"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def _profile(self, user_id: int, answer: int) -> Response:
        data = PROFILE_ROWS.render(profile(reader=self.request.user, user_id=user_id))
        if answer == status.HTTP_201_CREATED:
            return created(self.request, data, self.request.path)
        return Response(data, status=answer)

    @extend_schema(
        methods=["POST"],
        summary="Follow a user",
        request=None,
        responses={
            201: PublicUserSerializer,
            **_changed(conflict="Already followed.", missing="not followed (DELETE)."),
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Stop following a user",
        request=None,
        responses={
            200: PublicUserSerializer,
            **_changed(conflict="Already followed.", missing="not followed (DELETE)."),
        },
    )
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk):
        if request.method == "POST":
            services.follow(user=request.user, followee_id=int(pk))
            return self._profile(int(pk), status.HTTP_201_CREATED)
        services.unfollow(user=request.user, followee_id=int(pk))
        return self._profile(int(pk), status.HTTP_200_OK)

    @extend_schema(
        methods=["POST"],
        summary="Block a user (ends any follow between you, both ways)",
        request=None,
        responses={
            201: PublicUserSerializer,
            **_changed(conflict="Already blocked.", missing="not blocked (DELETE)."),
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Unblock a user",
        request=None,
        responses={
            200: PublicUserSerializer,
            **_changed(conflict="Already blocked.", missing="not blocked (DELETE)."),
        },
    )
    @action(detail=True, methods=["post", "delete"])
    def block(self, request, pk):
        if request.method == "POST":
            services.block(user=request.user, blocked_id=int(pk))
            return self._profile(int(pk), status.HTTP_201_CREATED)
        services.unblock(user=request.user, blocked_id=int(pk))
        return self._profile(int(pk), status.HTTP_200_OK)

    def _page(self, rows, serializer_class) -> Response:
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(
        summary="A user's followers, newest follow first",
        responses={200: UserSummarySerializer(many=True), **error_responses(400, 401, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def followers(self, request, pk):
        return self._page(selectors.followers(int(pk)), FollowerSerializer)

    @extend_schema(
        summary="Whom a user follows, newest follow first",
        responses={200: UserSummarySerializer(many=True), **error_responses(400, 401, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def following(self, request, pk):
        return self._page(selectors.following(int(pk)), FolloweeSerializer)

    @extend_schema(
        summary="The users you block, newest first",
        responses={200: UserSummarySerializer(many=True), **error_responses(400, 401, 429)},
    )
    @action(detail=False, methods=["get"], url_path="me/blocks")
    def blocks(self, request):
        return self._page(selectors.blocks(request.user.pk), BlockedSerializer)
