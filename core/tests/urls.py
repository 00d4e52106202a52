"""The project's routes plus two that fail on purpose, for the error-handling tests."""

from django.urls import path
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)

from config import urls as project_urls


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
    *project_urls.urlpatterns,
]

handler500 = project_urls.handler500
