"""Logging pieces: the current request id on every record, and a one-line JSON formatter."""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by RequestLogMiddleware for the duration of a request; "-" outside one.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# Attributes every LogRecord has, and Django's `request` object (no useful JSON form):
# anything else on a record came from `extra=` and becomes a field of its own.
_SKIPPED_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request",
}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served, for text and JSON alike."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a 5xx from a view after the middleware has returned: its record
            # carries the request, which carries the id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


class MaxLevelFilter(logging.Filter):
    """Lets through only records below `level`, so stdout carries no warnings or errors."""

    def __init__(self, level):
        super().__init__()
        self.level = logging.getLevelName(level) if isinstance(level, str) else level

    def filter(self, record):
        return record.levelno < self.level


class JsonFormatter(logging.Formatter):
    """One JSON object per line, traceback included, for log collectors that parse fields."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _SKIPPED_ATTRS
        )
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
