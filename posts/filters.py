import re

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import search_smart_split

from posts.models import Post

REPEATED_PARAMETER = "Give this parameter once."


def repeated_parameters(query_params, names):
    """The names among `names` that the query string gives more than once."""
    return [name for name in names if len(query_params.getlist(name)) > 1]


class SentParametersRequiredForm(forms.Form):
    """A parameter that is sent must have a value: `?published=` is a 400, not "all posts".
    An empty search has no terms, and so matches everything. A parameter sent twice is a 400,
    not "the last one wins"."""

    may_be_empty = {"search"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (self.fields.keys() & self.data.keys()) - self.may_be_empty:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = "This parameter may not be empty."

    def clean(self):
        cleaned_data = super().clean()
        for name in repeated_parameters(self.data, self.fields):
            self.add_error(name, REPEATED_PARAMETER)
        return cleaned_data


class FeedFilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, stepping aside when the request sends none of its parameters.

    Its form (a deep copy of every field, per request) costs more than the feed's page query;
    with no parameter sent it would leave the queryset as it is anyway. Measured at 200,000
    posts: 15% of a first page's time and 22% of a single post's (bench/README.md).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class FeedOrderingFilter(filters.OrderingFilter):
    """django-filter's ordering (an unknown value is a 400), always ending with `-id` so that
    pages never repeat or skip a post."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "-id")


# An integer as a query string writes one: an optional minus sign and ASCII digits. Python's int(),
# and with it Django's and DRF's integer fields, also take `5.0`, ` 5`, `1_0` and other scripts'
# digits.
INTEGER_LITERAL = re.compile(r"-?[0-9]+")


class IntegerLiteralField(forms.IntegerField):
    """Django's integer form field, refusing what is not written as an integer."""

    def to_python(self, value):
        if value not in self.empty_values and not INTEGER_LITERAL.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(filters.NumberFilter):
    """A number filter that takes integers only (django-filter's accepts decimals)."""

    field_class = IntegerLiteralField


# Each term is one more substring test of every candidate title: the count and the page scan
# the matching rows once per term, and a one- or two-letter term cannot use the trigram index.
SEARCH_MAX_TERMS = 8
SEARCH_MAX_LENGTH = 100


class SearchTermsField(forms.CharField):
    """The terms of a search, as DRF's SearchFilter splits them, a bounded number of them."""

    def __init__(self, **kwargs):
        super().__init__(max_length=SEARCH_MAX_LENGTH, strip=False, **kwargs)

    def clean(self, value):
        terms = search_smart_split(super().clean(value))
        if len(terms) > SEARCH_MAX_TERMS:
            raise ValidationError(
                f"Give at most {SEARCH_MAX_TERMS} search terms (this search has {len(terms)}).",
                code="max_terms",
            )
        return terms


SEARCH_HELP = (
    "Case-insensitive substring match on the title; every term must occur. Terms are split on "
    'whitespace and commas; a "double-quoted phrase" is one term. At most '
    f"{SEARCH_MAX_TERMS} terms and {SEARCH_MAX_LENGTH} characters."
)


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_LENGTH, "description": SEARCH_HELP})
class SearchFilter(filters.Filter):
    field_class = SearchTermsField

    def filter(self, qs, terms):
        for term in terms:
            qs = qs.filter(title__icontains=term)
        return qs


class PostFilter(filters.FilterSet):
    search = SearchFilter(help_text=SEARCH_HELP)
    owner = IntegerFilter(field_name="owner__id", help_text="Only the posts of this user id.")
    published = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_published",
        help_text="Only published posts, or only drafts (which are the caller's own).",
    )
    ordering = FeedOrderingFilter(
        fields=["created_at", "votes"],
        help_text="Comma-separated; `-` for descending. Default `-created_at`; the id, "
        "descending, always breaks ties.",
    )

    class Meta:
        model = Post
        fields = ["search", "owner", "published", "ordering"]
        form = SentParametersRequiredForm

    def filter_published(self, queryset, name, value: str):
        return queryset.filter(published=value == "true")
