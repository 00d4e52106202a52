import io
import json
import logging

import pytest

from core.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_log():
    """The log records of the test as the JSON lines LOG_FORMAT=json writes, all levels."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
