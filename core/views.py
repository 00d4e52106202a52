from django import db
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.response import Response

from core import shared

HealthSerializer = inline_serializer(
    "Health",
    fields={
        "status": serializers.CharField(),
        "database": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "cache": serializers.ChoiceField(
            choices=["ok", "degraded", "local"],
            help_text="`degraded`: Redis is unreachable and each process counts throttles on "
            "its own meanwhile; `local`: no Redis configured (per-process counters).",
        ),
    },
)


@extend_schema(tags=["service"], auth=[], responses={200: HealthSerializer, 503: HealthSerializer})
@api_view(["GET", "HEAD"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def health(request):
    """Liveness with one cheap database round trip; a Redis outage degrades, it does not fail."""
    cache_status = shared.status()
    try:
        with db.connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    # db.Error, not db.DatabaseError: a connection lost mid-request can surface as an
    # InterfaceError, which is not a DatabaseError and would otherwise become a 500.
    except db.Error:
        return Response(
            {"status": "error", "database": "unavailable", "cache": cache_status},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ok", "database": "ok", "cache": cache_status})


def server_error(request):
    """handler500: JSON on every path, never Django's HTML page; Django has logged the error."""
    return JsonResponse({"detail": "Internal server error."}, status=500)
