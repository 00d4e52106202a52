"""Idempotent creates (docs/API.md, Conventions; draft-ietf-httpapi-idempotency-key-header-06).

A create view decorated with `idempotent` takes an optional `Idempotency-Key` header. The first
request with a key writes a row that says it is under way (the key's unique constraint settles
a race: of twenty copies sent at once, one writes it); the others answer 409 while it is, 422 if
their body differs, and once it succeeded, its answer again, replayed from the row. A request
that fails keeps nothing: its key may be sent again. A row left under way by a process that
died is taken over after ABANDONED_AFTER. Rows expire after IDEMPOTENCY_KEY_HOURS, and
`manage.py prune_expired` deletes them.
"""

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.exceptions import Conflict, Unprocessable
from core.models import IdempotencyKey
from core.shared import digest

HEADER = "Idempotency-Key"
# 1 to 255 visible ASCII characters.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
KEY_MESSAGE = "Give an Idempotency-Key of 1 to 255 visible ASCII characters."
# Longer than any request may take (gunicorn's timeout is 30 s): a row under way for longer was
# left by a process that died.
ABANDONED_AFTER = timedelta(seconds=60)


class KeyInProgress(Conflict):
    message = "A request with this Idempotency-Key is still in progress; retry later."


class KeyReused(Unprocessable):
    """The same key sent with another body (a 422)."""

    message = "This Idempotency-Key was used with another request body."


def _caller(request: Request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{digest(AnonRateThrottle().get_ident(request))}"


def fingerprint(data: Any) -> str:
    """A digest of a request's parsed body, the same whatever the order of its keys."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(row: IdempotencyKey) -> Response:
    headers = {"Idempotency-Replayed": "true"}
    if row.location:
        headers["Location"] = row.location
    return Response(row.body, status=row.status, headers=headers)


def _claim(request: Request, key: str, route: str) -> IdempotencyKey | Response:
    """The new row under way for this request, or the answer owed to a key already sent."""
    now = timezone.now()
    fields = {"caller": _caller(request), "route": route, "key": key}
    digest_of_body = fingerprint(request.data)
    while True:
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    **fields,
                    fingerprint=digest_of_body,
                    created_at=now,
                    expires_at=now + timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS),
                )
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.filter(**fields).first()
        if row is None:
            continue  # deleted meanwhile (its request failed): claim it again
        if row.expires_at <= now or (row.status is None and row.created_at < now - ABANDONED_AFTER):
            IdempotencyKey.objects.filter(pk=row.pk, created_at=row.created_at).delete()
            continue
        if row.fingerprint != digest_of_body:
            raise KeyReused
        if row.status is None:
            raise KeyInProgress
        return _replay(row)


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Make a DRF create view (a method: self, request, ...) honour `Idempotency-Key`."""

    @functools.wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(self, request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            raise ValidationError({HEADER: [KEY_MESSAGE]})
        match = request.resolver_match
        route = f"{request.method} {match.view_name if match else request.path}"
        claimed = _claim(request, key, route)
        if isinstance(claimed, Response):
            return claimed
        try:
            response = view(self, request, *args, **kwargs)
        except BaseException:
            claimed.delete()
            raise
        if response.status_code >= status.HTTP_400_BAD_REQUEST:
            claimed.delete()
            return response
        claimed.status, claimed.body = response.status_code, response.data
        claimed.location = response.get("Location", "")
        claimed.save(update_fields=["status", "body", "location"])
        return response

    return wrapper
