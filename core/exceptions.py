"""One JSON error shape for everything the API answers, failures included."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger("agora.errors")


def api_exception_handler(exc, context):
    """DRF's handler, plus JSON answers for oversized bodies, suspicious requests, a lost
    database and bugs."""
    response = exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "Request body too large."}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, SuspiciousOperation):
        # What Django answers 400 outside DRF: too many form fields or query parameters, a
        # malformed multipart body. Its class names it in the security log, as Django does.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        return Response({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("Database unavailable: %s", exc)
        return Response(
            {"detail": "Service temporarily unavailable, try again shortly."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
    return Response(
        {"detail": "Internal server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
    )
