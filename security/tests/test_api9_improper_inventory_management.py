"""API9:2023 Improper Inventory Management: what is served is exactly what is documented.

Already covered elsewhere: each path is listed once, with its slash (accounts/tests/test_schema.py
and posts/tests/test_schema.py), and the docs pages are served (accounts/tests/test_schema.py).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1/"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
DOCS_PREFIXES = ("/api/schema/", "/api/docs/", "/api/redoc/")
# The contract's service routes, besides the API itself.
SERVICE_ROUTES = {
    "api/v1/",
    "api/schema/",
    "api/docs/",
    "api/docs/browser-login/",
    "api/redoc/",
    "health/",
    "admin/",
}


def walk(patterns, prefix=""):
    """(regex of the whole path, callback) for every URL pattern the resolver serves."""
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, regex)
        elif isinstance(pattern, URLPattern):
            yield regex, pattern.callback


def as_schema_path(regex):
    """`api/v1/posts/(?P<pk>[^/.]+)/?$` or `health/\\Z` -> `/api/v1/posts/{id}/` or `/health/`,
    as drf-spectacular writes them."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", regex)
    path = "/" + path.replace("{pk}", "{id}").replace("/?", "/").replace("$", "")
    path = path.removesuffix("\\Z")
    return path.replace("^", "")


def served_operations():
    """(path, method) of every operation the URL resolver routes to an API view.

    Router routes name their methods in `actions`; a plain API view (/health/) by its handlers.
    The schema and docs views serve the documentation, and are not operations of it.
    """
    operations = set()
    for regex, callback in walk(get_resolver().url_patterns):
        path = as_schema_path(regex)
        view = getattr(callback, "cls", None)
        if view is None or not issubclass(view, APIView) or path.startswith(DOCS_PREFIXES):
            continue
        actions = getattr(callback, "actions", None) or {
            method: method for method in view.http_method_names if hasattr(view, method)
        }
        operations |= {(path, method) for method in actions if method in HTTP_METHODS}
    return operations


@pytest.fixture(scope="module")
def served_schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def documented_operations(schema):
    return {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }


def test_the_served_schema_documents_exactly_the_routed_operations(served_schema):
    served = served_operations()

    assert served, "no API route found"
    assert documented_operations(served_schema) == served


def test_every_documented_path_is_under_the_one_api_version(served_schema):
    paths = set(served_schema["paths"]) - {"/health/"}

    assert all(path.startswith(API_PREFIX) for path in paths)
    assert served_schema["info"]["version"] == "1.0.0"


def test_no_route_outside_the_contracts_service_routes():
    top_level = {str(pattern.pattern) for pattern in get_resolver().url_patterns}

    assert top_level == SERVICE_ROUTES


@pytest.mark.parametrize(
    "path",
    ["/api/v2/posts/", "/api/v0/posts/", "/api/posts/", "/api/v1.1/posts/", "/api/latest/posts/"],
)
def test_no_other_api_version_is_served(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# Swagger UI's page loads its start-up script from `?script=` (no inline script: CSP).
@pytest.mark.parametrize("page", ["/api/docs/?script=", "/api/redoc/"])
def test_the_docs_pages_render_the_served_schema(client, page):
    response = client.get(page)

    assert response.status_code == 200
    assert b"/api/schema/" in response.content


def test_a_string_the_schema_calls_not_blank_is_not_blank_to_the_server(served_schema):
    """Judged as JSON Schema validators judge patterns (jsonschema-rs, Schemathesis' own, reads
    `\\s` as Unicode's White_Space), against what DRF strips (Python's str.isspace)."""
    import jsonschema_rs

    title = served_schema["components"]["schemas"]["PostRequest"]["properties"]["title"]
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": title["pattern"]})
    stripped = [chr(n) for n in range(0x10000) if chr(n).isspace()]

    for character in stripped:
        assert not validator.is_valid(character * 2), hex(ord(character))
        assert validator.is_valid(f"{character}x{character}"), hex(ord(character))
    assert not validator.is_valid("x\x00")
