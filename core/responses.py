"""Answers every app gives the same way."""

from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def created(request: Request, data: Any, location: str) -> Response:
    """A `201` with `data`, and in `Location` the absolute URL of what was created (`location`,
    a path)."""
    return Response(
        data,
        status=status.HTTP_201_CREATED,
        headers={"Location": request.build_absolute_uri(location)},
    )
