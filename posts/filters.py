from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import BaseCSVField
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import search_smart_split

from core.params import IntegerParameter, ParametersForm
from posts import sql
from posts.models import Post


class FeedParametersForm(ParametersForm):
    # An empty search has no terms, and so matches everything.
    may_be_empty = frozenset({"search"})


class OrderingTermsField(BaseCSVField):
    """Comma-separated ordering terms, each field at most once: `votes,-votes` orders by
    nothing the first term did not, and a list of them is a different query to compile."""

    def clean(self, value):
        terms = super().clean(value)
        fields = [term.removeprefix("-") for term in terms or ()]
        if len(fields) != len(set(fields)):
            raise ValidationError("Give each ordering field at most once.", code="repeated")
        return terms


class FeedOrderingFilter(filters.OrderingFilter):
    """django-filter's ordering (an unknown value is a 400), each field at most once, always
    ending with `-id` so that pages never repeat or skip a post."""

    base_field_class = OrderingTermsField

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*(self._term(self.get_ordering_value(param)) for param in value), "-id")

    @staticmethod
    def _term(term: str):
        # A draft never published has no published_at: first when descending, last when
        # ascending, on every database (as if published now), as the feed's default puts it.
        if term == "-published_at":
            return F("published_at").desc(nulls_first=True)
        if term == "published_at":
            return F("published_at").asc(nulls_last=True)
        return term


class IntegerFilter(filters.NumberFilter):
    """A number filter that takes integers only (django-filter's accepts decimals)."""

    field_class = IntegerParameter


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


# Every word is one more lexeme to look up in the index and to rank each match by: 200
# characters are a long question, and a bounded amount of work for one search.
FULL_TEXT_MAX_LENGTH = 200
NO_WORD_TO_SEARCH = (
    'Give a word to search for: common words such as "the" are not searched for, and a word '
    'after "-" is only excluded.'
)


class FullTextQueryField(forms.CharField):
    """A full-text query, at most FULL_TEXT_MAX_LENGTH characters as sent, with a word to
    search for (as the database reads it: posts.sql)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=FULL_TEXT_MAX_LENGTH, strip=False, **kwargs)

    def clean(self, value):
        # After the length and NUL checks: the database reads only what passed them.
        query = super().clean(value)
        if query and not sql.full_text_searchable(query):
            raise ValidationError(NO_WORD_TO_SEARCH, code="no_word")
        return query


FULL_TEXT_HELP = (
    "Full-text search over title and content, ranked: most relevant first unless `ordering` is "
    'given. Web-search syntax: words (all must match, in any inflection), "a phrase", `or`, '
    f"and `-word` to exclude. 1 to {FULL_TEXT_MAX_LENGTH} characters, with a word to search for "
    "(not only stop words such as `the`, nor only excluded words). On SQLite (development), "
    "each word must occur in the title or the content, newest first."
)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": FULL_TEXT_MAX_LENGTH,
        "description": FULL_TEXT_HELP,
    }
)
class FullTextFilter(filters.Filter):
    """The feed's `q`, matched (and ranked, where the database can) by posts.sql."""

    field_class = FullTextQueryField

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return sql.full_text_matches(qs, value)


class PostFilter(filters.FilterSet):
    q = FullTextFilter(help_text=FULL_TEXT_HELP)
    search = SearchFilter(help_text=SEARCH_HELP)
    owner = IntegerFilter(field_name="owner__id", help_text="Only the posts of this user id.")
    published = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_published",
        help_text="Only published posts, or only drafts (which are the caller's own).",
    )
    ordering = FeedOrderingFilter(
        fields=["published_at", "created_at", "votes"],
        help_text="Comma-separated; `-` for descending. Default `-published_at` (the caller's "
        "never-published drafts first); the id, descending, always breaks ties.",
    )

    class Meta:
        model = Post
        fields = ["q", "search", "owner", "published", "ordering"]
        form = FeedParametersForm

    def get_form_class(self):
        # Once per class: django-filter would build the form class, with a field per filter, for
        # every request, and neither changes (each form deep-copies its fields, as every form).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_published(self, queryset, name, value: str):
        return queryset.filter(published=value == "true")
