"""The feed's full-text search, `q`: the contract on every database, PostgreSQL's stemming,
ranking, phrases and index where the behaviour is its own."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict

from posts import selectors, sql
from posts.filters import FULL_TEXT_MAX_LENGTH
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="PostgreSQL's text search (SQLite matches words, documented)"
)


def found(client, q, **parameters):
    response = client.get(POSTS, {"q": q, **parameters})
    assert response.status_code == 200, response.content
    return [post["title"] for post in response.json()["results"]]


def refusal(client, query_string=None, **parameters):
    """The messages of a 400 about `q`, for a raw query string or for parameters to encode."""
    if query_string is None:
        response = client.get(POSTS, parameters)
    else:
        response = client.get(f"{POSTS}?{query_string}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["q"]
    return body["q"]


@pytest.fixture
def library(db):
    """Posts whose words differ in where they are: the title, the content, both, neither."""
    return {
        "title": PostFactory(title="Gardening notes", content="Tomatoes need sun."),
        "content": PostFactory(title="Weekend", content="Notes on gardening with children."),
        "neither": PostFactory(title="Cooking", content="Pasta with tomatoes."),
    }


# The contract, on every database.


@pytest.mark.usefixtures("library")
def test_a_word_is_found_in_the_title_or_the_content(api_client):
    assert set(found(api_client, "gardening")) == {"Gardening notes", "Weekend"}
    assert found(api_client, "pasta") == ["Cooking"]


@pytest.mark.usefixtures("library")
def test_every_word_must_match_in_any_letter_case(api_client):
    assert found(api_client, "TOMATOES sun") == ["Gardening notes"]
    assert found(api_client, "tomatoes children") == []


@pytest.mark.usefixtures("library")
def test_a_word_after_a_minus_is_excluded(api_client):
    assert found(api_client, "tomatoes -pasta") == ["Gardening notes"]


def test_a_word_finds_its_longer_forms(api_client):
    PostFactory(title="Running", content="Every morning.")

    assert found(api_client, "run") == ["Running"]


@pytest.mark.usefixtures("library")
def test_stop_words_are_not_searched_for(api_client):
    assert set(found(api_client, "the gardening")) == {"Gardening notes", "Weekend"}


@pytest.mark.usefixtures("library")
def test_nothing_matching_is_an_empty_page(api_client):
    assert api_client.get(POSTS, {"q": "zeppelin"}).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_an_ordering_given_orders_the_matches(api_client):
    PostFactory(title="Bread", content="Sourdough bread, baked slowly.", votes=2)
    PostFactory(title="A loaf", content="Bread.", votes=5)
    PostFactory(title="Soup", content="No loaf here.", votes=9)

    assert found(api_client, "bread", ordering="-votes") == ["A loaf", "Bread"]
    assert found(api_client, "bread", ordering="votes") == ["Bread", "A loaf"]


def test_drafts_are_searched_for_their_owner_only(api_client, auth_client, user):
    DraftFactory(owner=user, title="Secret plans", content="Unpublished.")
    PostFactory(title="Public plans", content="Out there.")

    assert found(api_client, "plans") == ["Public plans"]
    assert set(found(auth_client, "plans")) == {"Secret plans", "Public plans"}


def test_the_count_is_the_matches(api_client):
    PostFactory.create_batch(3, content="A common word: harbour.")
    PostFactory(content="Something else.")

    body = api_client.get(POSTS, {"q": "harbour", "limit": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None


def test_a_cached_count_is_per_query(api_client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CACHE_MIN_ROWS", 3)
    PostFactory.create_batch(3, content="Lighthouse keepers.")
    PostFactory.create_batch(4, content="Ferry timetables.")

    assert api_client.get(POSTS, {"q": "lighthouse", "limit": 1}).json()["count"] == 3
    assert api_client.get(POSTS, {"q": "ferry", "limit": 1}).json()["count"] == 4


@pytest.mark.parametrize("deferred_join", [False, True])
def test_every_page_is_the_slice_of_the_matches(api_client, monkeypatch, deferred_join):
    if deferred_join:
        monkeypatch.setattr(selectors, "DEFERRED_JOIN_MIN_OFFSET", 0)
    for n in range(7):
        PostFactory(title=f"Kite {n}", content="kite " * (n % 3 + 1))
    PostFactory(title="Balloon", content="Not this one.")
    every = found(api_client, "kite", limit=100)

    pages = [found(api_client, "kite", limit=3, offset=offset) for offset in (0, 3, 6)]

    assert len(every) == 7
    assert [title for page in pages for title in page] == every


def test_a_search_reads_a_page_in_bounded_queries(api_client, django_assert_num_queries):
    PostFactory.create_batch(3, content="Canal boats.")
    # PostgreSQL reads the query once more first, to check it has a word to search for.
    with django_assert_num_queries(2 if ON_POSTGRESQL else 1):
        assert len(found(api_client, "canal")) == 3


@pytest.mark.parametrize(
    "query_string",
    [
        "q=the",
        "q=The%20and%20OR",
        "q=-",
        "q=%22%22",
        "q=%20%20",
        "q=-gardening",
        "q=-%22gardening%20notes%22",
        "q=%26%7C!%3A*()",
        "q=%F0%9F%99%82",
    ],
)
def test_a_query_without_a_word_to_search_for_is_400(api_client, query_string):
    (message,) = refusal(api_client, query_string)

    assert message.startswith("Give a word to search for")


def test_an_empty_query_is_400(api_client):
    assert refusal(api_client, "q=") == ["This parameter may not be empty."]


def test_a_query_past_the_limit_is_400_saying_the_limit(api_client):
    PostFactory(content="word")
    longest = " ".join(["word"] * (FULL_TEXT_MAX_LENGTH // 5)).ljust(FULL_TEXT_MAX_LENGTH)
    assert api_client.get(POSTS, {"q": longest}).status_code == 200

    (message,) = refusal(api_client, q=f"{longest}x")

    assert str(FULL_TEXT_MAX_LENGTH) in message


@pytest.mark.parametrize(
    "query_string",
    ["q=word%00", "q=%00", "q=word&q=word", "q=word&q="],
)
def test_nul_and_repeats_are_400(api_client, query_string):
    assert refusal(api_client, query_string)


@pytest.mark.parametrize(
    "q",
    [
        '"unclosed phrase',
        'a "quoted" b\'s \\"',
        "back\\slash\\\\",
        "it's o'clock",
        "cat & dog | bird ! fish",
        "run:* & !walk",
        "(nested (groups)) <-> <2>",
        "-- - -cat cat",
        "or or or cat or",
        "cat -or dog",
        "naïve ÜBER café",
        "日本語のテキスト",
        "\ufffd\ufffd cat",
        "%_ cat",
        "x" * FULL_TEXT_MAX_LENGTH,
        "\u0130stanbul",
    ],
)
def test_no_query_is_a_500(api_client, q):
    PostFactory(title="A cat", content="And a dog.")

    response = api_client.get(POSTS, {"q": q})

    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert list(response.json()) == ["q"]


def test_bytes_that_are_not_utf_8_are_not_a_500(api_client):
    # A lone surrogate's UTF-8 bytes: Django reads undecodable bytes as U+FFFD.
    response = api_client.get(f"{POSTS}?q=%ED%A0%80")

    assert response.status_code in (200, 400)


def test_q_is_documented_with_its_limit(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"]}

    q = parameters["q"]["schema"]
    assert (q["type"], q["minLength"], q["maxLength"]) == ("string", 1, FULL_TEXT_MAX_LENGTH)
    assert "full-text" in parameters["q"]["description"].lower()


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's simpler match, as docs/API.md says it")
def test_sqlite_matches_the_words_of_a_phrase_anywhere(api_client):
    PostFactory(title="Cats", content="A big cat sat.")
    PostFactory(title="Dogs", content="The cat ran from a big dog.")

    assert set(found(api_client, '"big cat"')) == {"Cats", "Dogs"}
    assert found(api_client, '-"big cat" cat') == []
    assert found(api_client, "running") == []


# PostgreSQL's own: stemming, ranking, phrases and `or`, its stop words, its index.


@postgresql_only
def test_any_inflection_of_a_word_matches(api_client):
    PostFactory(title="Morning", content="I run every day.")
    PostFactory(title="Evening", content="She runs along the river.")
    PostFactory(title="Night", content="Sleeping.")

    assert set(found(api_client, "running")) == {"Morning", "Evening"}


@postgresql_only
def test_a_title_match_ranks_above_a_content_match(api_client):
    in_title = PostFactory(title="Volcanoes of Iceland", content="A travel diary.")
    PostFactory(title="Travel diary", content="We saw volcanoes.")
    in_both = PostFactory(title="Volcanoes", content="Volcanoes, volcanoes everywhere.")
    # Newer than both, so that newest first would put it first.
    PostFactory(title="Holiday", content="One volcano, far away.")

    titles = found(api_client, "volcano")

    assert titles[0] == in_both.title
    assert titles[1] == in_title.title
    assert set(titles[2:]) == {"Travel diary", "Holiday"}


@postgresql_only
def test_equally_relevant_posts_are_newest_first(api_client):
    older, newer = (PostFactory(title="Same", content=f"Glacier {n}.") for n in range(2))

    response = api_client.get(POSTS, {"q": "glacier"}).json()

    assert [post["id"] for post in response["results"]] == [newer.pk, older.pk]


@postgresql_only
def test_a_phrase_matches_its_words_in_order(api_client):
    PostFactory(title="Cats", content="A big cat sat.")
    PostFactory(title="Dogs", content="The cat ran from a big dog.")

    assert found(api_client, '"big cat"') == ["Cats"]
    assert found(api_client, '-"big cat" cat') == ["Dogs"]


@postgresql_only
def test_or_matches_either_word(api_client):
    PostFactory(title="Apples", content="Red.")
    PostFactory(title="Pears", content="Green.")
    PostFactory(title="Plums", content="Purple.")

    assert set(found(api_client, "apples or pears")) == {"Apples", "Pears"}


@postgresql_only
def test_a_query_no_word_of_which_must_match_is_400(api_client):
    # Posts without "dog" match too: no word narrows the search.
    assert refusal(api_client, "q=cat%20or%20-dog")


@postgresql_only
def test_sqlite_leaves_out_the_stop_words_postgresql_does():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "
            "WHERE to_tsvector(%s::regconfig, word) <> ''::tsvector",
            [sorted(sql.STOP_WORDS), sql.TEXT_SEARCH_CONFIG],
        )
        searched = [word for (word,) in cursor.fetchall()]

    assert searched == []
    assert not sql.STOP_WORDS & {"cat", "run", "post", "search"}


@postgresql_only
def test_a_selective_query_is_answered_from_the_index():
    PostFactory.create_batch(300, content="Ordinary words about nothing much.")
    PostFactory(content="A needle, once.")
    with connection.cursor() as cursor:
        # New rows wait in the index's pending list, which every search reads in full, until
        # a vacuum moves them into the index proper: as a table long written to has them.
        cursor.execute("SELECT gin_clean_pending_list('posts_search_vector_idx')")
        cursor.execute("ANALYZE posts_post")
        # The table is small; without sequential scans, the planner shows which index it can
        # use for the query's expression (the page and the count alike).
        cursor.execute("SET LOCAL enable_seqscan = off")
    feed = selectors.post_feed(user=AnonymousUser(), filters=QueryDict("q=needle"))

    page_plan = feed.posts.values("pk")[:10].explain()
    count_plan = feed.posts.explain()

    assert "posts_search_vector_idx" in page_plan, page_plan
    assert "posts_search_vector_idx" in count_plan, count_plan


@postgresql_only
def test_every_query_shares_one_compiled_shape(api_client):
    PostFactory(content="Shapes and values.")
    api_client.get(POSTS, {"q": "shapes"})
    shapes = sql._prepared.shapes()

    for q in ["values", "shapes values", '"shapes and"', "shapes -values"]:
        assert api_client.get(POSTS, {"q": q}).status_code == 200

    assert sql._prepared.shapes() == shapes
