"""Domain errors, and the one place that turns them and Django's own into JSON answers.

Services and selectors raise the kinds below (`AlreadyLiked(Conflict)`, `EmailTaken(Invalid)`);
they know nothing of HTTP. `api_exception_handler` maps each kind to its status and DRF's body
shapes: `{"detail": ...}`, or `{"<field>": [...]}` for invalid input.
"""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status

logger = logging.getLogger("agora.errors")

NOT_FOUND = "Not found."
TOO_LARGE = "Request body too large."
UNAVAILABLE = "Service temporarily unavailable, try again shortly."
# Seconds to wait (the Retry-After header) when the database is down, or a statement ran out of
# time (DATABASE_STATEMENT_TIMEOUT).
DATABASE_RETRY_SECONDS = 5


class DomainError(Exception):
    """A rule of Agora's that a request broke; `message` says which, to the client."""

    message = "Not allowed."

    def __init__(self, message=None):
        self.message = message or self.message
        super().__init__(self.message)


class NotFound(DomainError):
    """What the caller names does not exist, or is not theirs to see."""

    message = NOT_FOUND


class Conflict(DomainError):
    """The request contradicts the current state (liking twice)."""


class Forbidden(DomainError):
    """The caller may not do this to what they name (a block stands between two users)."""


class Unauthenticated(DomainError):
    """Credentials or a token that do not (or no longer) identify anyone."""


class Busy(DomainError):
    """Too much of a costly kind of work is under way in this process; try again shortly."""

    message = "The server is busy checking passwords; try again in a moment."
    retry_after = 1


class Invalid(DomainError):
    """A value the caller sent breaks a rule; `field` names it. `errors` says as much of several
    fields at once: {field: [message, ...]}."""

    field = "non_field_errors"
    message = "Invalid input."

    def __init__(self, message=None, *, field=None, errors=None):
        super().__init__(message)
        self.field = field or self.field
        self.errors = errors or {self.field: [self.message]}


class Unprocessable(DomainError):
    """A well-formed request that cannot be carried out as sent (an idempotency key reused with
    another body)."""


def _answer(status_code, detail, *, wait=None):
    """A DRF exception answering `status_code` with `{"detail": detail}` (and Retry-After: wait)."""
    answer = exceptions.APIException(detail)
    answer.status_code, answer.wait = status_code, wait
    return answer


def _as_api_exception(exc):
    """The DRF exception that answers `exc`, or None for what is not ours to answer."""
    if isinstance(exc, Invalid):
        return exceptions.ValidationError(exc.errors)
    if isinstance(exc, NotFound):
        return exceptions.NotFound(exc.message)
    if isinstance(exc, Http404):
        # One wording for a missing resource, whichever route: not Django's "No Post matches
        # the given query."
        return exceptions.NotFound(NOT_FOUND)
    if isinstance(exc, Conflict):
        return _answer(status.HTTP_409_CONFLICT, exc.message)
    if isinstance(exc, Forbidden):
        return exceptions.PermissionDenied(exc.message)
    if isinstance(exc, Unprocessable):
        return _answer(status.HTTP_422_UNPROCESSABLE_ENTITY, exc.message)
    if isinstance(exc, Busy):
        return _answer(status.HTTP_503_SERVICE_UNAVAILABLE, exc.message, wait=exc.retry_after)
    if isinstance(exc, Unauthenticated):
        return exceptions.AuthenticationFailed(exc.message)
    if isinstance(exc, RequestDataTooBig):
        return _answer(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        # What Django answers 400 outside DRF: too many form fields or query parameters, a
        # malformed multipart body. Its class names it in the security log, as Django does.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        return exceptions.ParseError("Bad request.")
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable, or a statement hit DATABASE_STATEMENT_TIMEOUT.
        logger.error("Database unavailable: %s", exc)
        return _answer(
            status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE, wait=DATABASE_RETRY_SECONDS
        )
    return None


def api_exception_handler(exc, context):
    """DRF's handler, for DRF's exceptions and the kinds above; anything else is a bug, which
    goes on to Django (its `handler500` answers JSON, and error trackers hear of it)."""
    # Imported here: rest_framework.views reads the REST_FRAMEWORK settings, whose classes
    # (authentication, throttles) import the domain errors above.
    from rest_framework.views import exception_handler

    api_exception = _as_api_exception(exc) or exc
    if isinstance(api_exception, exceptions.AuthenticationFailed) and "view" in context:
        # DRF sets the challenge only for the exceptions its own authentication raises.
        header = context["view"].get_authenticate_header(context["request"])
        if header:
            api_exception.auth_header = header
    return exception_handler(api_exception, context)
