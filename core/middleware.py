"""Request plumbing every route shares: request ids, one log line per request, a body size cap."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.utils.encoding import escape_uri_path

from core.logs import request_id_var

logger = logging.getLogger("agora.requests")

REQUEST_ID_HEADER = "X-Request-ID"
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


class BodySizeLimitMiddleware:
    """Answers 413 to a body declared larger than DATA_UPLOAD_MAX_MEMORY_SIZE, unread.

    Django checks that limit only in `request.body` and `request.POST`; DRF's parsers read the
    stream directly, so without this a JSON body of any size would be read into memory. Under
    WSGI a body without Content-Length is never read, so the header is all there is to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if limit is not None and declared > limit:
            return JsonResponse({"detail": "Request body too large."}, status=413)
        return self.get_response(request)
