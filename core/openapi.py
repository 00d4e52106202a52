"""Schema pieces shared by every app: the error bodies the contract defines."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """`{"detail": "..."}`: every error that is not a validation error."""

    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages keyed by field or query parameter; `non_field_errors` for "
    "cross-field problems; `detail` for an unparsable body.",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}

_DESCRIPTIONS = {
    400: "Invalid input.",
    401: "Missing, malformed, expired or revoked token (or wrong credentials on login).",
    403: "Authenticated, but not allowed.",
    404: "Not found, or not visible to the caller.",
    409: "Conflict with the current state.",
    413: "Request body too large.",
    415: "Request body is not JSON.",
    429: "Throttled; see the Retry-After header.",
}


def error_responses(*codes):
    """The documented error responses for an operation, keyed by status code."""
    return {
        code: OpenApiResponse(
            response=VALIDATION_ERROR_SCHEMA if code == 400 else ErrorSerializer,
            description=_DESCRIPTIONS[code],
        )
        for code in codes
    }
