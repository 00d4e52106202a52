"""Bad listing parameters are 400, keyed by the parameter, never a silent default."""

import pytest

from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=", "limit"),
        ("limit=1.5", "limit"),
        ("limit=%00", "limit"),
        # Integers written as integers: Python's int() and DRF / Django take these too.
        ("limit=5.0", "limit"),
        ("limit=1_0", "limit"),
        ("limit=%205", "limit"),
        ("limit=%D9%A5", "limit"),
        ("offset=0.0", "offset"),
        ("skip=1.0", "skip"),
        ("owner=1.0", "owner"),
        ("owner=1_0", "owner"),
        ("owner=%D9%A1", "owner"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=", "offset"),
        ("skip=-1", "skip"),
        ("skip=abc", "skip"),
        ("skip=", "skip"),
        ("offset=0&skip=0", "skip"),
        ("offset=3&skip=3", "skip"),
        ("ordering=title", "ordering"),
        ("ordering=-id", "ordering"),
        ("ordering=votes,bogus", "ordering"),
        ("ordering=-created_at,", "ordering"),
        ("ordering=", "ordering"),
        ("ordering=%00", "ordering"),
        ("owner=abc", "owner"),
        ("owner=1.5", "owner"),
        ("owner=", "owner"),
        ("published=maybe", "published"),
        ("published=1", "published"),
        ("published=True", "published"),
        ("published=", "published"),
        ("search=%00", "search"),
        # A parameter sent twice is ambiguous, not "the last one wins".
        ("limit=5&limit=6", "limit"),
        ("offset=1&offset=1", "offset"),
        ("skip=2&skip=abc", "skip"),
        ("owner=1&owner=2", "owner"),
        ("published=maybe&published=true", "published"),
        ("ordering=votes&ordering=-votes", "ordering"),
        ("search=a&search=b", "search"),
    ],
)
def test_bad_parameter_is_400_keyed_by_its_name(api_client, query, param):
    PostFactory()

    response = api_client.get(f"{POSTS}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [param]
    assert body[param]
    assert all(isinstance(message, str) for message in body[param])


def test_every_bad_parameter_is_reported(api_client):
    response = api_client.get(f"{POSTS}?ordering=bogus&owner=abc&published=maybe")

    assert response.status_code == 400
    assert set(response.json()) == {"ordering", "owner", "published"}


def test_bad_parameter_with_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer nope")

    assert api_client.get(f"{POSTS}?limit=abc").status_code == 401


def test_unknown_parameters_are_ignored(api_client):
    PostFactory()

    assert api_client.get(f"{POSTS}?page=2&sort=title").status_code == 200


def test_a_search_of_more_terms_than_allowed_is_400(api_client):
    allowed = " ".join("abcdefgh")

    too_many = api_client.get(POSTS, {"search": allowed + " i"})

    assert too_many.status_code == 400
    assert too_many.json() == {"search": ["Give at most 8 search terms (this search has 9)."]}
    assert api_client.get(POSTS, {"search": allowed}).status_code == 200


def test_a_search_longer_than_allowed_is_400(api_client):
    too_long = api_client.get(POSTS, {"search": "x" * 101})

    assert too_long.status_code == 400
    assert too_long.json() == {
        "search": ["Ensure this value has at most 100 characters (it has 101)."]
    }
    assert api_client.get(POSTS, {"search": "x" * 100}).status_code == 200


def test_the_schema_states_the_search_limits(schema):
    (search,) = [
        p for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"] if p["name"] == "search"
    ]

    assert search["schema"]["maxLength"] == 100
    assert "At most 8 terms and 100 characters." in search["description"]


@pytest.mark.parametrize(
    "ordering", ["votes,-votes", "created_at,created_at", "-votes,created_at,votes"]
)
def test_an_ordering_field_given_twice_is_400(api_client, ordering):
    response = api_client.get(POSTS, {"ordering": ordering})

    assert response.status_code == 400
    assert response.json() == {"ordering": ["Give each ordering field at most once."]}


@pytest.mark.parametrize("ordering", ["votes,created_at", "-created_at,-votes", "-votes"])
def test_each_field_once_in_any_order_is_fine(api_client, ordering):
    assert api_client.get(POSTS, {"ordering": ordering}).status_code == 200
