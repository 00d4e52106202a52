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
