"""The reads of posts that depend on the database, and the one place where they do; the same
tests run on both.

- Rows: SQL compiled once per shape (core.db.PreparedReads) on PostgreSQL; other databases run
  the same queries through the ORM, whose converters their values need.
- Full-text search (the feed's `q`): PostgreSQL's text search over a generated, indexed column,
  ranked; on SQLite (development), a match of the query's words, newest first.
"""

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, connections, router
from django.db.models import Expression, F, Q, QuerySet
from django.db.models.expressions import BaseExpression

from core import db
from core.db import PreparedQuery, PreparedReads
from posts.models import Post

_prepared = PreparedReads()


def rows(
    shape: Hashable,
    build: Callable[..., QuerySet[Any, dict[str, Any]]],
    values: Mapping[str, int | str],
    *,
    page: slice | None = None,
) -> list[dict[str, Any]]:
    """The rows of `build(**values)`, a `values()` queryset, sliced by `page`. `shape` names
    what the query's text depends on, never a value: the values and the page are parameters."""
    return db.rows_of(_prepared, shape, build, values, page=page)


def pageable(
    shape: Hashable,
    build: Callable[..., QuerySet[Any, dict[str, Any]]],
    values: Mapping[str, int | str],
) -> "PreparedQuery | QuerySet[Any, dict[str, Any]]":
    """`build(**values)`, a `values()` queryset, for DRF's CursorPagination to page: on
    PostgreSQL, each page's query compiled once per shape (as `rows`)."""
    return db.pageable(_prepared, shape, build, values, model=Post)


def own_drafts_first(
    rows: QuerySet[Post, dict[str, Any]], *, user: int, within: int
) -> QuerySet[Post, dict[str, Any]]:
    """The first `within` of `rows`, the signed-in feed ordered by `-published_at` first, read
    in two parts on PostgreSQL: the caller's never-published drafts (first of all, as NULLs
    sort), from the owner's index, and the posts with a `published_at`, from the feed's index.

    Read as one, the feed's index starts with every user's never-published drafts, which
    `published OR owner = me` then drops one by one: 10,000 of them before the first post on
    the bench's data (bench/README.md). The parts are disjoint (a published post has its
    `published_at`: a constraint of the table) and each is ordered and bounded, so the
    database merges the two and stops with the page. Other databases read `rows` as they are."""
    if not _on_postgresql():
        return rows
    ordering: Sequence[Any] = rows.query.order_by or Post._meta.ordering or ()
    drafts = rows.filter(owner_id=user, published_at__isnull=True)[:within]
    dated = rows.filter(published_at__isnull=False)[:within]
    return drafts.union(dated, all=True).order_by(*ordering)


# The text search configuration of every query, as of the posts' documents (migration 0006):
# English stemming and stop words. A query parsed with another would miss their lexemes.
TEXT_SEARCH_CONFIG = "english"

# The words PostgreSQL's `english` configuration leaves out (its english.stop; a test checks
# each against PostgreSQL). SQLite leaves them out of a query too, so that `the` is the same 400
# on both.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 (the words as PostgreSQL's file lists them, 127 of them)
)
# On SQLite: a query's terms, each a "quoted phrase" (to its closing quote, or the end) or a
# run of other characters up to a space, either one excluded when written right after `-`; and
# the words of a term, runs of letters and digits (PostgreSQL's parser splits at `_` too).
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
_WORD = re.compile(r"[^\W_]+")


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


class _Document(Expression):
    """The post's document, `posts_post.search_vector` (migration 0006, on PostgreSQL only).

    The model does not declare the column, which SQLite could not compute: it is named here, as
    a column of the query's posts table, renamed with it where a subquery renames its tables
    (a deep page's ids), as Django renames its own columns."""

    output_field = SearchVectorField()
    contains_column_references = True
    COLUMN = "search_vector"

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> "_Document":
        return self if self.alias is not None else _Document(query.get_initial_alias())

    def relabeled_clone(self, relabels: Mapping[str, str]) -> "_Document":
        if self.alias is None:
            return self
        return _Document(relabels.get(self.alias, self.alias))

    def get_group_by_cols(self) -> list[BaseExpression]:
        return [self]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.{compiler.quote_name_unless_alias(self.COLUMN)}", []


def full_text_matches(posts: QuerySet[Post], q: str) -> QuerySet[Post]:
    """`posts` that match the full-text query `q`: on PostgreSQL, most relevant first (title
    above content), then the larger id; on SQLite, in `posts`' own order (newest first)."""
    if not _on_postgresql():
        return posts.filter(_words_match(q))
    query = SearchQuery(q, config=TEXT_SEARCH_CONFIG, search_type="websearch")
    return (
        posts.alias(search_document=_Document())
        .filter(search_document=query)
        .alias(search_rank=SearchRank(F("search_document"), query))
        .order_by(F("search_rank").desc(), "-id")
    )


def full_text_searchable(q: str) -> bool:
    """Whether `q` has a word to search for, one that narrows the posts down: not only stop
    words, operators and excluded words (`-word` alone would rank every post)."""
    if not _on_postgresql():
        return any(not excluded for excluded, _ in _terms(q))
    with connections[router.db_for_read(Post)].cursor() as cursor:
        cursor.execute(
            "SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [TEXT_SEARCH_CONFIG, q]
        )
        (tree,) = cursor.fetchone()
    # The part of the query an index can look up: empty without a word, T (every post) when
    # no word has to occur.
    return tree not in ("", "T")


def _terms(q: str) -> list[tuple[bool, list[str]]]:
    """SQLite's reading of `q`: (excluded, its words) for each term that has words."""
    terms = []
    for sign, phrase, run in _TERM.findall(q):
        words = [word for word in _WORD.findall((phrase or run).lower()) if word not in STOP_WORDS]
        if words:
            terms.append((sign == "-", words))
    return terms


def _words_match(q: str) -> Q:
    """Each word of each term of `q` in the title or the content, case-insensitively; for an
    excluded term, not all of its words."""
    condition = Q()
    for excluded, words in _terms(q):
        every_word = Q()
        for word in words:
            every_word &= Q(title__icontains=word) | Q(content__icontains=word)
        condition &= ~every_word if excluded else every_word
    return condition
