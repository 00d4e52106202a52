"""The project's routes plus two that fail on purpose, for the error-handling tests."""

from django.urls import include, path
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)


def plain_boom(request):
    raise RuntimeError("boom outside DRF")


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def api_boom(request):
    raise RuntimeError("boom in a DRF view")


urlpatterns = [
    path("boom/", plain_boom),
    path("api/v1/boom/", api_boom),
    path("", include("config.urls")),
]

handler500 = "core.views.server_error"
