"""Schema pieces shared by every app: the error bodies the contract defines, the constraints of
strict string fields, and the links between operations that clients (and Schemathesis' stateful
tests) follow."""

from copy import deepcopy

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)
from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
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


def _password_schema(schema):
    """A new password as Django's validators see it: at least the minimum length, not digits
    only. Similarity to the email and the list of common passwords cannot be said in a schema."""
    for validator in get_default_password_validators():
        if isinstance(validator, MinimumLengthValidator):
            schema["minLength"] = max(schema.get("minLength", 0), validator.min_length)
    schema["pattern"] = r"^[^\x00]*[^\d\x00][^\x00]*$"
    schema["description"] = (
        "At least {min} characters, not only digits, not a common password and not too "
        "similar to the email or handle."
    ).format(min=schema.get("minLength", 1))


# Request components whose fields carry a new password.
_NEW_PASSWORDS = {"SignUpRequest": "password", "PasswordChangeRequest": "new_password"}


def _login_schema(schema):
    """Exactly one of `username` and `email`; `grant_type`, when sent, is `password`."""
    schema["oneOf"] = [{"required": ["username"]}, {"required": ["email"]}]
    schema["properties"]["grant_type"]["enum"] = ["password"]
    schema["properties"]["grant_type"].pop("pattern", None)


_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "description": "The Bearer challenge.",
            "schema": {"type": "string", "pattern": "^Bearer"},
            "required": True,
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "string", "pattern": r"^\d+$"},
            "required": True,
        }
    },
}

_PAYLOAD_TOO_LARGE = {
    "description": _DESCRIPTIONS[413],
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


# Gunicorn answers a request line longer than its limit_request_line (4094 bytes) itself, in HTML,
# before Django sees the request: a long query string, or a long path.
_URI_TOO_LONG = {
    "description": "Request line too long; answered by the HTTP server itself, in HTML.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _link(operation_id, description, parameters=None, body=None, replace_body=False):
    link = {"operationId": operation_id, "description": description}
    if parameters:
        link["parameters"] = parameters
    if body is not None:
        link["requestBody"] = body
    if replace_body:
        # Schemathesis merges a link's body into a generated one unless told otherwise.
        link["x-schemathesis"] = {"merge_body": False}
    return link


_POST_ID = {"id": "$response.body#/id"}
_POST_ID_BODY = {"post_id": "$response.body#/id", "dir": 1}
_REFRESH_TOKEN_BODY = {"refresh_token": "$response.body#/refresh_token"}
# Login and refresh answer the same token pair, which leads on to the same operations.
_TOKEN_PAIR_LINKS = {
    "Refresh": _link(
        "auth_refresh_create", "Rotate the refresh token just issued.", body=_REFRESH_TOKEN_BODY
    ),
    "LogOut": _link(
        "auth_logout_create", "Revoke the refresh token just issued.", body=_REFRESH_TOKEN_BODY
    ),
}

# (path, method, status) -> links from that answer to the operations it enables.
LINKS = {
    ("/api/v1/users/", "post", "201"): {
        "LogIn": _link(
            "auth_login_create",
            "Log in with the email and password just signed up with.",
            body={"email": "$request.body#/email", "password": "$request.body#/password"},
            replace_body=True,
        ),
        "GetUser": _link(
            "users_retrieve", "The new user's public profile.", {"id": "$response.body#/id"}
        ),
        "ListPosts": _link("posts_list", "The new user's posts.", {"owner": "$response.body#/id"}),
    },
    ("/api/v1/auth/login/", "post", "200"): _TOKEN_PAIR_LINKS,
    ("/api/v1/auth/refresh/", "post", "200"): _TOKEN_PAIR_LINKS,
    ("/api/v1/posts/", "post", "201"): {
        "GetPost": _link("posts_retrieve", "The post just written.", _POST_ID),
        "ReplacePost": _link("posts_update", "Replace the post just written.", _POST_ID),
        "UpdatePost": _link("posts_partial_update", "Change the post just written.", _POST_ID),
        "DeletePost": _link("posts_destroy", "Delete the post just written.", _POST_ID),
        "LikePost": _link("votes_create", "Like the post just written.", body=_POST_ID_BODY),
        "ListOwnerPosts": _link(
            "posts_list", "The feed of the post's owner.", {"owner": "$response.body#/owner/id"}
        ),
    },
    ("/api/v1/posts/{id}/", "get", "200"): {
        "LikePost": _link(
            "votes_create",
            "Like the post just read.",
            body={"post_id": "$response.body#/id", "dir": 1},
            replace_body=True,
        ),
        "UnlikePost": _link(
            "votes_create",
            "Take back the like of the post just read.",
            body={"post_id": "$response.body#/id", "dir": 0},
            replace_body=True,
        ),
        "UpdatePost": _link("posts_partial_update", "Change the post just read.", _POST_ID),
    },
    ("/api/v1/posts/{id}/", "patch", "200"): {
        "GetPost": _link("posts_retrieve", "The post just changed.", _POST_ID),
        "LikePost": _link("votes_create", "Like the post just changed.", body=_POST_ID_BODY),
    },
    # A like leads back to its post, and from there to liking or unliking it again; not straight
    # to POST /votes/: Schemathesis' created-resource check (ST302) sees no parameter on that
    # operation (post_id is in the body) and would blame the API for an id its exploration drew.
    ("/api/v1/votes/", "post", "201"): {
        "GetPost": _link(
            "posts_retrieve", "The post just liked.", {"id": "$response.body#/post_id"}
        ),
    },
    ("/api/v1/votes/", "post", "200"): {
        "GetPost": _link(
            "posts_retrieve",
            "The post whose like was taken back.",
            {"id": "$response.body#/post_id"},
        ),
    },
}


def postprocess_schema(result, generator, request, public):
    """drf-spectacular hook: what every operation shares and the views do not each declare.

    - 413 on every operation that takes a body (BodySizeLimitMiddleware answers it first), 414
      on every operation (gunicorn answers it);
    - the `WWW-Authenticate` header of each 401 and the `Retry-After` header of each 429;
    - the constraints of new passwords and of the login body; no NUL in a string query parameter
      (Django's form fields refuse it);
    - the links between operations (LINKS).
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, field in _NEW_PASSWORDS.items():
        if name in schemas:
            _password_schema(schemas[name]["properties"][field])
    if "LoginRequest" in schemas:
        _login_schema(schemas["LoginRequest"])

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
            for status, headers in _HEADERS.items():
                if status in responses:
                    responses[status].setdefault("headers", {}).update(deepcopy(headers))
            for (link_path, link_method, status), links in LINKS.items():
                if (link_path, link_method) == (path, method) and status in responses:
                    responses[status]["links"] = deepcopy(links)
    return result
