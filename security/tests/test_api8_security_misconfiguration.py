"""API8:2023 Security Misconfiguration.

Already covered elsewhere: `check --deploy` is clean with production settings, DEBUG is off
unless asked for and a production start needs a secret key (core/tests/test_deploy_settings.py);
errors are JSON without tracebacks, a foreign Host header is a plain 400
(core/tests/test_errors.py); /health/ alone is exempt from the HTTPS redirect
(core/tests/test_health.py).
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client

from conftest import client_for
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# JSON loads nothing, and may be framed by nothing.
API_POLICY = {"default-src": "'none'", "frame-ancestors": "'none'"}


def policy(response):
    """The Content-Security-Policy of `response`, as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    return dict(directive.split(" ", 1) for directive in header.split("; "))


def answers(user):
    """One request for each kind of answer the API gives, with the status it must get."""
    post = PostFactory()
    auth = client_for(user)
    anonymous = Client(raise_request_exception=False)
    too_large = "{" + " " * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + "}"
    return {
        200: lambda: anonymous.get(f"/api/v1/posts/{post.id}/"),
        201: lambda: auth.post("/api/v1/posts/", {"title": "t", "content": "c"}, format="json"),
        204: lambda: (
            auth.post("/api/v1/votes/", {"post_id": post.id, "dir": 1}, format="json")
            and auth.delete("/api/v1/users/me/")
        ),
        400: lambda: anonymous.get("/api/v1/posts/?limit=abc"),
        401: lambda: anonymous.get("/api/v1/users/me/"),
        404: lambda: anonymous.get("/api/v1/nothing-here/"),
        405: lambda: auth.get("/api/v1/votes/"),
        413: lambda: anonymous.post("/api/v1/users/", too_large, content_type="application/json"),
        415: lambda: anonymous.post("/api/v1/users/", "a=b", content_type="text/plain"),
    }


@pytest.mark.parametrize("status", [200, 201, 204, 400, 401, 404, 405, 413, 415])
def test_security_headers_on_every_kind_of_answer(user, status):
    response = answers(user)[status]()

    assert response.status_code == status
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (status, header)
    assert policy(response) == API_POLICY, status


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/admin/login/"])
def test_the_pages_load_only_what_agora_serves(client, path):
    directives = policy(client.get(path))

    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "script-src" not in directives  # scripts from 'self' only: none inline, none eval'd


def test_a_report_only_policy_reaches_the_api_too(settings, client):
    """The API's header is built once (core.middleware); a setting that makes it vary turns
    that off, and django-csp decides on each answer again."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'none'"], "report-uri": ["/csp-reports/"]}
    }
    response = client.get("/api/v1/posts/")

    assert response.headers["Content-Security-Policy-Report-Only"] == (
        "default-src 'none'; report-uri /csp-reports/"
    )
    assert policy(response) == API_POLICY


ALLOWED_ORIGIN = "https://app.example.com"


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED_ORIGIN]


def preflight(client, origin, path="/api/v1/posts/"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_preflight_from_a_configured_origin_is_allowed(cors, api_client):
    response = preflight(api_client, ALLOWED_ORIGIN)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"]
    # Bearer tokens, not cookies: browsers are never asked to send credentials cross-origin.
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://app.example.com",
        "https://app.example.com.evil.example",
        "null",
    ],
)
def test_preflight_from_any_other_origin_gets_no_cors_grant(cors, api_client, origin):
    response = preflight(api_client, origin)

    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_a_cross_origin_read_is_granted_to_the_configured_origin_only(cors, api_client):
    allowed = api_client.get("/api/v1/posts/", HTTP_ORIGIN=ALLOWED_ORIGIN)
    other = api_client.get("/api/v1/posts/", HTTP_ORIGIN="https://evil.example.com")

    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "Access-Control-Allow-Origin" not in other.headers


def test_cors_covers_the_api_only_not_the_admin(cors, api_client):
    response = preflight(api_client, ALLOWED_ORIGIN, path="/admin/login/")

    assert "Access-Control-Allow-Origin" not in response.headers


def test_no_origin_is_allowed_by_default(api_client):
    assert django_settings.CORS_ALLOWED_ORIGINS == []

    response = preflight(api_client, ALLOWED_ORIGIN)

    assert "Access-Control-Allow-Origin" not in response.headers


def test_hsts_on_https_answers_with_production_settings(settings, api_client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = api_client.get("/api/v1/posts/", secure=True)

    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
        if settings.SECURE_HSTS_PRELOAD
        else "max-age=31536000; includeSubDomains"
    )


# Runs in a process of its own with the environment a deployment gives it (no DJANGO_DEBUG, a
# real key, its host name) and without reading a developer's .env, as in the container.
PRODUCTION_PROCESS = """
import json
import environ
environ.Env.read_env = lambda *args, **kwargs: None
import django
django.setup()
from corsheaders.conf import conf as cors
from corsheaders.conf import conf as cors
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
allowed_hosts = list(settings.ALLOWED_HOSTS)
setup_test_environment()
client = Client(raise_request_exception=False, HTTP_HOST="agora.example.com")
page = client.get("/nothing-here/", secure=True)
api = client.get("/api/v1/nothing-here/", secure=True)
plain = client.get("/api/v1/posts/")
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": allowed_hosts,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CORS_ALLOW_ALL_ORIGINS": cors.CORS_ALLOW_ALL_ORIGINS,
    "CORS_ALLOWED_ORIGINS": list(cors.CORS_ALLOWED_ORIGINS),
    "CORS_ALLOW_CREDENTIALS": cors.CORS_ALLOW_CREDENTIALS,
    "page": [page.status_code, page.content.decode()],
    "api": [api.status_code, api.headers["Content-Type"], api.content.decode()],
    "plain": [plain.status_code, plain.headers.get("Location")],
}))
"""


def test_production_settings_in_a_fresh_process():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CORS_"))}
    completed = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", PRODUCTION_PROCESS],
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "agora.example.com",
            "DATABASE_URL": "sqlite://:memory:",
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout.strip().splitlines()[-1])

    assert found["DEBUG"] is False
    assert found["ALLOWED_HOSTS"] == ["agora.example.com"]
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True
    assert found["CORS_ALLOW_ALL_ORIGINS"] is False
    assert found["CORS_ALLOWED_ORIGINS"] == []
    assert found["CORS_ALLOW_CREDENTIALS"] is False
    # Django's technical 404 page (URL patterns, settings) is for DEBUG only.
    status, page = found["page"]
    assert status == 404
    assert "URLconf" not in page
    assert "DEBUG = True" not in page
    assert found["api"] == [404, "application/json", '{"detail": "Not found."}']
    # Plain HTTP is sent to HTTPS.
    assert found["plain"][0] == 301
    assert found["plain"][1].startswith("https://agora.example.com/")
