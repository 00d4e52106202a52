from typing import Any, Protocol

from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param

from core.cursors import link_header
from core.params import IntegerParameter, ParametersForm

MAX_LIMIT = 100


class PageParametersForm(ParametersForm):
    """The paging query parameters; a bad value is a 400 keyed by its name, never a default."""

    limit = IntegerParameter(required=False, min_value=1)
    offset = IntegerParameter(required=False, min_value=0)
    skip = IntegerParameter(required=False, min_value=0)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("offset") is not None and cleaned_data.get("skip") is not None:
            self.add_error("skip", forms.ValidationError("Give offset or skip, not both."))
        return cleaned_data


class Pages(Protocol):
    """What PostPagination pages (selectors.Feed): a total, and pages by slicing."""

    def total(self, *, first_page_size: int | None = None) -> int:
        """How many items there are. Given `first_page_size`, the first page of that size is
        what the caller asks for next, and may be read now to count a short total."""
        ...

    def __getitem__(self, page: slice) -> list[dict[str, Any]]: ...


class PostPagination(LimitOffsetPagination):
    """DRF's limit/offset paging, strict: `limit` from 1 (clamped to 100), `skip` an alias of
    `offset`; the links always say `offset`. It pages `Pages` as DRF pages a queryset (a count,
    then one slice), telling them when the page asked for is the first."""

    default_limit = 10
    max_limit = MAX_LIMIT
    offset_alias = "skip"

    def _parameters(self, request):
        if getattr(self, "_parameters_of", None) is not request:
            self._parameters_of, self._cleaned = request, self._clean(request.query_params)
        return self._cleaned

    @staticmethod
    def _clean(query):
        if not any(name in query for name in PageParametersForm.base_fields):
            # Most pages are asked for without paging parameters: nothing to check.
            return dict.fromkeys(PageParametersForm.base_fields)
        form = PageParametersForm(query)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return form.cleaned_data

    def get_limit(self, request):
        limit = self._parameters(request)["limit"]
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        parameters = self._parameters(request)
        return parameters["offset"] or parameters[self.offset_alias] or 0

    def get_count(self, queryset: Pages) -> int:  # type: ignore[override]
        first = self.get_offset(self.request) == 0
        return queryset.total(first_page_size=self.limit if first else None)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        for name, value in (
            link_header(response.data["next"], response.data["previous"]) or {}
        ).items():
            response[name] = value
        return response

    def get_next_link(self):
        link = super().get_next_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_previous_link(self):
        link = super().get_previous_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        # No `count` when paged by cursor (`cursor`).
        response_schema["required"] = ["next", "previous", "results"]
        links = response_schema["properties"]
        links["next"]["example"] = "https://agora.example.org/api/v1/posts/?limit=10&offset=30"
        links["previous"]["example"] = "https://agora.example.org/api/v1/posts/?limit=10&offset=10"
        return response_schema

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, **schema):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", **schema},
            }

        return [
            parameter(
                self.limit_query_param,
                f"Page size, from 1; larger than {self.max_limit} is clamped to {self.max_limit}.",
                minimum=1,
                default=self.default_limit,
            ),
            parameter(self.offset_query_param, "How many posts to skip.", minimum=0, default=0),
            parameter(
                self.offset_alias,
                f"Alias of `{self.offset_query_param}`; give one or the other.",
                minimum=0,
            ),
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Page by cursor instead of offset: `first` for the first page, "
                "then a `next` or `previous` link's cursor. Published posts only, in one "
                "ordering by time; the answer then has no `count`.",
                "schema": {"type": "string", "maxLength": 512},
            },
        ]
