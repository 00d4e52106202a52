from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from core.openapi import ErrorSerializer, error_responses
from votes import services
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
        result = {"post_id": post_id, "votes": votes, "voted": voted}
        return Response(VoteResultSerializer(result).data, status=answer)
