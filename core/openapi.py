"""Schema pieces shared by every app: the error bodies the contract defines, the constraints of
strict string fields, what every operation can answer, and the hook that collects what each app
adds (its `openapi` module: links between operations, rules its serializers cannot say)."""

from copy import deepcopy
from importlib import import_module

from django.apps import apps
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.exceptions import TOO_LARGE


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
    413: TOO_LARGE,
    415: "Request body is not JSON.",
    429: "Throttled; see the Retry-After header.",
    503: "The database is unreachable or a statement ran out of time (or, where passwords are "
    "hashed, too many are being hashed); see the Retry-After header.",
}


# An idempotent create (core.idempotency): its header, and the answers only a key can cause.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional. The same key with the same body within 24 hours replays the first "
    "answer (with `Idempotency-Replayed: true`) and writes nothing again.",
    pattern=r"^[\x21-\x7e]{1,255}$",
)


def idempotent_responses():
    """The 409 and 422 a create answers only when sent with an Idempotency-Key."""
    return {
        409: OpenApiResponse(
            ErrorSerializer, description="This Idempotency-Key's first request is under way."
        ),
        422: OpenApiResponse(
            ErrorSerializer, description="This Idempotency-Key was used with another body."
        ),
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


# Strings: DRF refuses a NUL character in any CharField and, where it trims whitespace, a value
# that is only whitespace. Said as patterns, generated clients and fuzzers send what is accepted.
# "Whitespace" is what Python's str.strip() removes, spelled out: a validator's `\s` (Unicode's
# White_Space) leaves out U+001C to U+001F, which Python strips.
_STRIPPED = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x10000)) if c.isspace())
NO_NUL_PATTERN = r"^[^\x00]*$"
NOT_BLANK_PATTERN = rf"^[^\x00]*[^\x00{_STRIPPED}][^\x00]*$"


class StrictCharFieldExtension(OpenApiSerializerFieldExtension):
    """Adds to drf-spectacular's schema of a strict string what DRF enforces besides its length."""

    target_class = "core.fields.StrictCharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        # drf-spectacular turns a RegexValidator into the pattern after this mapping.
        has_regex = any(isinstance(v, RegexValidator) for v in self.target.validators)
        if direction == "request" and not has_regex and "format" not in schema:
            blank_allowed = self.target.allow_blank or not self.target.trim_whitespace
            schema["pattern"] = NO_NUL_PATTERN if blank_allowed else NOT_BLANK_PATTERN
        return schema


_RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "string", "pattern": r"^\d+$"},
    "required": True,
}
_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "description": "The Bearer challenge.",
            "schema": {"type": "string", "pattern": "^Bearer"},
            "required": True,
        }
    },
    "429": {"Retry-After": _RETRY_AFTER},
    "503": {"Retry-After": _RETRY_AFTER},
}

_PAYLOAD_TOO_LARGE = {
    "description": _DESCRIPTIONS[413],
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_UNAVAILABLE = {
    "description": _DESCRIPTIONS[503],
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


# Gunicorn answers a request line longer than its limit_request_line (4094 bytes) itself, in HTML,
# before Django sees the request: a long query string, or a long path.
_URI_TOO_LONG = {
    "description": "Request line too long; answered by the HTTP server itself, in HTML.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def link(operation_id, description, parameters=None, body=None, replace_body=False):
    """An OpenAPI link from an answer to the operation it enables."""
    found = {"operationId": operation_id, "description": description}
    if parameters:
        found["parameters"] = parameters
    if body is not None:
        found["requestBody"] = body
    if replace_body:
        # Schemathesis merges a link's body into a generated one unless told otherwise.
        found["x-schemathesis"] = {"merge_body": False}
    return found


def _app_additions():
    """Each installed app's `openapi` module, if it has one: its `LINKS` ({(path, method,
    status): {name: link}}, merged with other apps' links from the same answer) and its
    `components(schemas)`, which adds what its serializers cannot say. core names no app."""
    for app in apps.get_app_configs():
        try:
            yield import_module(f"{app.name}.openapi")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.openapi":
                raise


def postprocess_schema(result, generator, request, public):
    """drf-spectacular hook: what every operation shares and the views do not each declare.

    - 413 on every operation that takes a body (BodySizeLimitMiddleware answers it first), 414
      on every operation (gunicorn answers it), 503 on every API operation (the database is
      unreachable or too slow, or, on the routes that hash a password, too many are hashing);
    - the `WWW-Authenticate` header of each 401 and the `Retry-After` header of each 429 and
      503; no NUL in a string query parameter (Django's form fields refuse it);
    - what each app adds (`_app_additions`): its components' rules and its links.
    """
    additions = list(_app_additions())
    schemas = result.get("components", {}).get("schemas", {})
    links = {}
    for addition in additions:
        if hasattr(addition, "components"):
            addition.components(schemas)
        for answer, found in getattr(addition, "LINKS", {}).items():
            links.setdefault(answer, {}).update(found)

    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern"} & schema.keys():
                    schema["pattern"] = NO_NUL_PATTERN
            responses = operation.get("responses", {})
            if "requestBody" in operation:
                responses.setdefault("413", deepcopy(_PAYLOAD_TOO_LARGE))
            responses.setdefault("414", deepcopy(_URI_TOO_LONG))
            if path.startswith("/api/"):
                responses.setdefault("503", deepcopy(_UNAVAILABLE))
            for status, headers in _HEADERS.items():
                if status in responses:
                    responses[status].setdefault("headers", {}).update(deepcopy(headers))
            for (link_path, link_method, status), found in links.items():
                if (link_path, link_method) == (path, method) and status in responses:
                    responses[status]["links"] = deepcopy(found)
    return result
