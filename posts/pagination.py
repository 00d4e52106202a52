from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param

MAX_LIMIT = 100


class PageParamsSerializer(serializers.Serializer):
    """The paging query parameters; a bad value is a 400 keyed by its name, never a default."""

    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0)
    skip = serializers.IntegerField(required=False, min_value=0)

    def validate(self, attrs):
        if "offset" in attrs and "skip" in attrs:
            raise serializers.ValidationError({"skip": ["Give offset or skip, not both."]})
        return attrs


class PostPagination(LimitOffsetPagination):
    """DRF's limit/offset paging, strict: `limit` from 1 (clamped to 100), `skip` an alias of
    `offset`; the links always say `offset`."""

    default_limit = 10
    max_limit = MAX_LIMIT
    offset_alias = "skip"

    def paginate_queryset(self, queryset, request, view=None):
        # A plain dict: given a QueryDict, DRF would read `limit=` as "not given".
        params = PageParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        self.params = params.validated_data
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request):
        return min(self.params.get("limit", self.default_limit), self.max_limit)

    def get_offset(self, request):
        return self.params.get("offset", self.params.get(self.offset_alias, 0))

    def get_next_link(self):
        link = super().get_next_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_previous_link(self):
        link = super().get_previous_link()
        return link and remove_query_param(link, self.offset_alias)

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["required"] = ["count", "next", "previous", "results"]
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
            parameter(
                self.offset_query_param,
                "How many posts to skip.",
                minimum=0,
                default=0,
            ),
            parameter(
                self.offset_alias,
                f"Alias of `{self.offset_query_param}`; give one or the other.",
                minimum=0,
            ),
        ]
