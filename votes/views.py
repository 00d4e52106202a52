from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.serializers import UserSummarySerializer, summary_of
from core.cursors import cursor_pages
from core.openapi import ErrorSerializer, error_responses
from core.params import ID_PATTERN
from core.responses import created
from votes import selectors, services
from votes.serializers import VoteResultSerializer, VoteSerializer


@extend_schema(tags=["votes"])
class VoteViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Like a post (dir 1) or take the like back (dir 0)",
        request=VoteSerializer,
        responses={
            201: OpenApiResponse(VoteResultSerializer, description="Liked."),
            200: OpenApiResponse(VoteResultSerializer, description="Like taken back."),
            **error_responses(400, 401, 415, 429),
            404: OpenApiResponse(
                ErrorSerializer, description="Unknown or invisible post; for dir 0, not liked."
            ),
            409: OpenApiResponse(ErrorSerializer, description="dir 1: already liked."),
        },
    )
    def create(self, request):
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, post_id = request.user, serializer.validated_data["post_id"]
        if serializer.validated_data["dir"] == 1:
            votes = services.vote_cast(user=user, post_id=post_id)
            voted, answer = True, status.HTTP_201_CREATED
        else:
            votes = services.vote_withdraw(user=user, post_id=post_id)
            voted, answer = False, status.HTTP_200_OK
        data = VoteResultSerializer({"post_id": post_id, "votes": votes, "voted": voted}).data
        if answer == status.HTTP_201_CREATED:
            return created(request, data, f"/api/v1/posts/{post_id}/likes/")
        return Response(data, status=answer)


# A like, shown as the summary of the user who gave it.
LikerSerializer = summary_of("user")


@extend_schema(tags=["votes"])
class LikersViewSet(viewsets.GenericViewSet):
    """Who likes a post, under /posts/{id}/likes/."""

    permission_classes = [permissions.AllowAny]
    pagination_class = cursor_pages("-id")
    lookup_value_regex = ID_PATTERN

    @extend_schema(
        summary="Who likes a post, newest like first",
        responses={200: UserSummarySerializer(many=True), **error_responses(400, 401, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def likes(self, request, pk):
        likes = selectors.likes_of(user=request.user, post_id=int(pk))
        page = self.paginate_queryset(likes)
        return self.get_paginated_response(LikerSerializer(page, many=True).data)
