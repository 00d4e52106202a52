"""Paging by cursor, for every list added after the design (docs/API.md, "Paging by cursor").

DRF's CursorPagination does the paging: each cursor holds the position of the last item shown
(plus an offset among items that share it), so a deep page costs what the first does and a row
inserted meanwhile moves nothing. Agora's cursors differ from DRF's in three ways. They are
signed: a cursor that Agora did not make is a 400, never a position taken on trust and handed
to a database lookup that could fail on it. `limit` is strict (a bad value is a 400, as on the
main feed). And each page also carries its links in an RFC 8288 `Link` header.
"""

from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from typing import Any

from django import forms
from django.core import signing
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.params import IntegerParameter, ParametersForm

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
INVALID_CURSOR = "This cursor is not valid; start again from the first page."
# The cursor that asks for the first page, where a list may also be paged otherwise.
FIRST = "first"
_SALT = "agora.cursor"


class CursorParametersForm(ParametersForm):
    limit = IntegerParameter(required=False, min_value=1)
    cursor = forms.CharField(required=False, max_length=512)


class CursorPages(CursorPagination):
    """Pages of `ordering` (set per view: its first field the position, the rest ties broken
    by offset), newest first unless the view says otherwise."""

    page_size = DEFAULT_LIMIT
    max_page_size = MAX_LIMIT
    page_size_query_param = "limit"
    template = None

    def paginate_queryset(self, queryset, request, view=None):
        form = CursorParametersForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        self._limit = form.cleaned_data["limit"]
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return min(self._limit or self.page_size, self.max_page_size)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None or encoded == FIRST:
            return None
        try:
            signed = urlsafe_b64decode(encoded.encode("ascii")).decode("ascii")
            offset, reverse, position = signing.loads(signed, salt=_SALT)
        except (signing.BadSignature, Base64Error, UnicodeError, ValueError, TypeError):
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        return Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor):
        signed = signing.dumps([cursor.offset, cursor.reverse, cursor.position], salt=_SALT)
        encoded = urlsafe_b64encode(signed.encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_paginated_response(self, data: Any) -> Response:
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return Response(
            {"next": next_link, "previous": previous_link, "results": data},
            headers=link_header(next_link, previous_link),
        )

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["required"] = ["next", "previous", "results"]
        links = response_schema["properties"]
        links["next"]["example"] = "https://agora.example.org/api/v1/posts/home/?cursor=WyJ..."
        links["previous"]["example"] = "https://agora.example.org/api/v1/posts/home/?cursor=WzA..."
        return response_schema

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "A `next` or `previous` link's cursor; never built by hand.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Page size, from 1; larger than {MAX_LIMIT} is clamped to "
                f"{MAX_LIMIT}.",
                "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
            },
        ]


def link_header(next_link: str | None, previous_link: str | None) -> dict[str, str] | None:
    """A page's links as an RFC 8288 `Link` header, or None when it has neither."""
    links = [
        f'<{url}>; rel="{rel}"'
        for url, rel in ((next_link, "next"), (previous_link, "prev"))
        if url is not None
    ]
    return {"Link": ", ".join(links)} if links else None


def cursor_pages(*ordering: str) -> type[CursorPages]:
    """A CursorPages class for a view that lists in `ordering`."""
    return type("CursorPages", (CursorPages,), {"ordering": ordering})
