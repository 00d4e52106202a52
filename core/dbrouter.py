"""Reads of the feed and of profiles from a replica, when DATABASE_REPLICA_URL names one.

A GET of one of the views in settings.REPLICA_READ_VIEWS reads from the `replica` database once
its caller is known, unless that caller wrote within DATABASE_REPLICA_PIN_SECONDS: they then
read from `default`, and so see what they wrote (read-your-writes). Authentication itself, every
other request and every write stay on `default`.

The pin is a time, not the replica's position: a key per user in Redis (core.shared),
set before the answer to the write leaves, one cache read per routed request. Waiting for the
replica to replay the write's position would cost a query on the primary after every write and
one on the replica before every read, and the replica HAProxy picks may change between
connections. A replica further behind than the pin breaks the promise; HAProxy takes replicas
more than 1 MB of WAL behind out of the read port (deploy/haproxy/haproxy.cfg).
"""

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from core import shared

REPLICA = "replica"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ROUTED_METHODS = frozenset({"GET", "HEAD"})

_reads: contextvars.ContextVar["_RequestReads | None"] = contextvars.ContextVar(
    "replica_reads", default=None
)


def _wrote_key(user_id: int) -> str:
    return f"db:wrote:{user_id}"


class _RequestReads:
    """Where one routed request reads, decided once, when its caller is first known."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.alias: str | None = None

    def database(self) -> str:
        if self.alias is None:
            # DRF puts the authenticated caller on the request; until then the reads are
            # authentication's own (revocation state), which stay on the primary.
            user = getattr(self.request, "user", None)
            if user is None:
                return DEFAULT_DB_ALIAS
            wrote = user.is_authenticated and shared.remembered(_wrote_key(user.pk))
            self.alias = DEFAULT_DB_ALIAS if wrote else REPLICA
        return self.alias


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may go to the replica, and pins each writer to the
    primary for DATABASE_REPLICA_PIN_SECONDS after each write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.views = frozenset(settings.REPLICA_READ_VIEWS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads.set(None)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in _SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                shared.remember(_wrote_key(user.pk), settings.DATABASE_REPLICA_PIN_SECONDS)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        if (
            request.method in _ROUTED_METHODS
            and match is not None
            and match.view_name in self.views
        ):
            _reads.set(_RequestReads(request))


class ReplicaRouter:
    """Django's side of it: the database of a read in a marked request; no opinion otherwise."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        reads = _reads.get()
        return None if reads is None else reads.database()

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: objects read from either may be related.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica replays the primary's schema; nothing may migrate it.
        return False if db == REPLICA else None
