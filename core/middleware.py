"""Request plumbing every route shares: request ids, one log line per request, a body size cap."""

import io
import json
import logging
import re
import time
import uuid

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.core.handlers.wsgi import LimitedStream
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path

from core.exceptions import NOT_FOUND, TOO_LARGE
from core.logs import request_id_var
from core.throttling import add_rate_limit_headers

logger = logging.getLogger("agora.requests")

REQUEST_ID_HEADER = "X-Request-ID"
CHUNKED_UNSUPPORTED = (
    "This server cannot read a chunked request body: send it with a Content-Length header."
)
CHUNKED_MALFORMED = (
    "The chunked request body is malformed: each chunk is its size in hexadecimal, CRLF, "
    "the bytes, CRLF; a chunk of size 0 ends the body."
)
# How long a shared cache may keep an anonymous answer: the feed's total lags as long.
ANON_CACHE_SECONDS = 5
# Ids from a proxy or client are reused only when they cannot garble a log line or a header.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestLogMiddleware:
    """Gives each request an id (the caller's `X-Request-ID` when sane), returns it in the
    response header, tags every log record with it and logs one line when the answer leaves.

    Outermost in MIDDLEWARE: Django turns exceptions from the layers inside into responses, so
    every request is logged, 500s included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = escape_uri_path(request.path)
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class ApiErrorsAsJsonMiddleware:
    """Every error under /api/ answers JSON, in every mode: Django's own 404 and 400 pages, its
    debug pages (`make run`), and anything else that is not JSON become `{"detail": ...}` with
    the same status. Other paths (the admin) keep Django's pages."""

    DETAILS = {400: "Bad request.", 404: NOT_FOUND, 500: "Internal server error."}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # Rewritten in place: the headers other layers set (security, CORS) stay.
            detail = self.DETAILS.get(response.status_code, f"{response.reason_phrase}.")
            response.content = json.dumps({"detail": detail})
            response["Content-Type"] = "application/json"
            if response.has_header("Content-Length"):  # set by CommonMiddleware, inside
                response["Content-Length"] = str(len(response.content))
        return response


class RateLimitHeadersMiddleware:
    """The rate-limit headers of the limit a request came closest to, as its throttles counted
    it (core.throttling), on every answer of a throttled route, 429s included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_rate_limit_headers(request, response)
        return response


class ApiCacheControlMiddleware:
    """Who may keep a `200` answer to a GET under /api/v1/, and for how long (docs/API.md,
    Conventions): a signed-in caller's answer is theirs (`private, no-cache`: revalidated with
    its ETag, which ConditionalGetMiddleware, outside, adds and answers 304 to); an anonymous
    one is everyone's for ANON_CACHE_SECONDS. Both vary with Authorization. An answer that says
    otherwise already (`no-store`) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and request.path.startswith("/api/v1/")
            and not response.has_header("Cache-Control")
        ):
            if "HTTP_AUTHORIZATION" in request.META:
                response["Cache-Control"] = "private, no-cache"
            else:
                response["Cache-Control"] = f"public, max-age={ANON_CACHE_SECONDS}"
            patch_vary_headers(response, ["Authorization"])
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, giving the pages under CSP_PAGES' prefixes their own policy.

    Everywhere else (the API, /health/) no view sets a policy of its own and no nonce is asked
    for, so the header is the same on every answer: it is built once, where django-csp built it
    twice per answer (the policy and the report-only one) from copies of its settings, 65 us of
    /health/'s 800 (bench/middleware_each.py).
    """

    # Attributes by which a view (django-csp's decorators) sets a policy of its own.
    PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")

    def __init__(self, get_response):
        super().__init__(get_response)
        policy = settings.CONTENT_SECURITY_POLICY
        # The one header of answers off the pages; None where the settings make it vary
        # (excluded prefixes, a report-only policy): django-csp decides on each answer then.
        self.constant = (
            None
            if policy.get("EXCLUDE_URL_PREFIXES")
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            else build_policy(config=policy["DIRECTIVES"])
        )
        self.pages = tuple(settings.CSP_PAGES["PATH_PREFIXES"])

    def process_response(self, request, response):
        if (
            self.constant is None
            or request.path.startswith(self.pages)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.PER_VIEW)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        response.setdefault(HEADER, self.constant)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(self.pages) and not report_only and parts.config is None:
            parts.config = settings.CSP_PAGES["DIRECTIVES"]
        return parts


class PagesOnlyMixin:
    """For the middlewares only the admin's pages need (its session, user and messages): any
    other request skips them. They showed in the profile of every API request; the API's
    callers carry bearer tokens, and /health/ and the API's docs need no session."""

    def __call__(self, request):
        if not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(PagesOnlyMixin, sessions_middleware.SessionMiddleware):
    """Django's, for pages only."""


class AuthenticationMiddleware(PagesOnlyMixin, auth_middleware.AuthenticationMiddleware):
    """Django's, for pages only."""


class MessageMiddleware(PagesOnlyMixin, messages_middleware.MessageMiddleware):
    """Django's, for pages only."""


class BodySizeLimitMiddleware:
    """Answers 413 to a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, before anything reads it.

    Django checks that limit only in `request.body` and `request.POST`; DRF's parsers read the
    stream directly, so without this a JSON body of any size would be read into memory.

    A chunked body (`Transfer-Encoding: chunked`, no Content-Length) is one Django would read as
    empty: it is read here, up to the limit, when the server has decoded the chunks (gunicorn
    says so with `wsgi.input_terminated`), and refused with 411 otherwise. Never acted on as if
    nothing had been sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            if not request.META.get("wsgi.input_terminated"):
                return JsonResponse({"detail": CHUNKED_UNSUPPORTED}, status=411)
            try:
                body = request.META["wsgi.input"].read(-1 if limit is None else limit + 1)
            # What the server raises while it decodes the chunks is its own (gunicorn: an
            # InvalidChunkSize, a NoMoreData, ...): any of them means the framing is broken.
            except Exception:
                return JsonResponse({"detail": CHUNKED_MALFORMED}, status=400)
            if limit is not None and len(body) > limit:
                return JsonResponse({"detail": TOO_LARGE}, status=413)
            # As if the client had sent Content-Length: Django's request reads this stream.
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
            return self.get_response(request)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if limit is not None and declared > limit:
            return JsonResponse({"detail": TOO_LARGE}, status=413)
        return self.get_response(request)
