"""GET /api/v1/posts/: the feed, its filters, search and ordering."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import DraftFactory, PostFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def ids(response):
    assert response.status_code == 200, response.content
    return [post["id"] for post in response.json()["results"]]


def posts_aged(*ages_in_minutes, **kwargs):
    """Posts created the given number of minutes ago, in the order given."""
    now = timezone.now()
    return [
        PostFactory(created_at=now - timedelta(minutes=age), **kwargs) for age in ages_in_minutes
    ]


def test_envelope_and_newest_first(api_client):
    older, newer = posts_aged(10, 5)

    response = api_client.get(POSTS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None
    assert ids(response) == [newer.id, older.id]
    assert body["results"][0]["owner"] == {"id": newer.owner.id, "username": newer.owner.username}


def test_list_without_trailing_slash(api_client):
    PostFactory()

    assert api_client.get("/api/v1/posts").json()["count"] == 1


def test_empty_feed(api_client):
    assert api_client.get(POSTS).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_anonymous_callers_see_published_posts_only(api_client):
    post = PostFactory()
    DraftFactory()

    response = api_client.get(POSTS)

    assert ids(response) == [post.id]
    assert response.json()["count"] == 1


def test_callers_own_drafts_are_in_their_feed_but_not_others(user, auth_client):
    post, my_draft = PostFactory(), DraftFactory(owner=user)
    DraftFactory()

    response = auth_client.get(POSTS)

    assert set(ids(response)) == {post.id, my_draft.id}
    assert response.json()["count"] == 2


def test_published_false_gives_the_callers_drafts_only(user, auth_client):
    PostFactory(owner=user)
    my_draft = DraftFactory(owner=user)
    DraftFactory()

    assert ids(auth_client.get(POSTS, {"published": "false"})) == [my_draft.id]


def test_published_false_is_empty_for_anonymous_callers(api_client):
    DraftFactory()

    assert ids(api_client.get(POSTS, {"published": "false"})) == []


def test_published_true_leaves_out_the_callers_drafts(user, auth_client):
    post = PostFactory(owner=user)
    DraftFactory(owner=user)

    assert ids(auth_client.get(POSTS, {"published": "true"})) == [post.id]


def test_owner_filter(api_client):
    author = UserFactory()
    theirs = PostFactory(owner=author)
    PostFactory()

    response = api_client.get(POSTS, {"owner": author.id})

    assert ids(response) == [theirs.id]
    assert response.json()["count"] == 1


def test_owner_filter_does_not_reveal_drafts(api_client, other_client, user):
    post, _draft = PostFactory(owner=user), DraftFactory(owner=user)

    assert ids(api_client.get(POSTS, {"owner": user.id})) == [post.id]
    assert ids(other_client.get(POSTS, {"owner": user.id})) == [post.id]


@pytest.mark.parametrize("owner", ["999999", "0", "-1", "99999999999999999999999"])
def test_unknown_owner_gives_an_empty_page(api_client, owner):
    PostFactory()

    response = api_client.get(POSTS, {"owner": owner})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_search_is_a_case_insensitive_substring_of_the_title(api_client):
    match = PostFactory(title="Hello World")
    PostFactory(title="Goodbye")

    assert ids(api_client.get(POSTS, {"search": "wOrL"})) == [match.id]


def test_search_needs_every_term(api_client):
    both = PostFactory(title="hello big world")
    PostFactory(title="hello there")
    PostFactory(title="the world")

    assert ids(api_client.get(POSTS, {"search": "hello world"})) == [both.id]
    assert ids(api_client.get(POSTS, {"search": "world,hello"})) == [both.id]
    assert ids(api_client.get(POSTS, {"search": " hello ,  world "})) == [both.id]


def test_quoted_phrase_is_one_term(api_client):
    phrase = PostFactory(title="say hello world")
    PostFactory(title="world, hello")

    assert ids(api_client.get(POSTS, {"search": '"hello world"'})) == [phrase.id]


def test_search_looks_at_the_title_only(api_client):
    PostFactory(title="Nothing here", content="needle")

    assert ids(api_client.get(POSTS, {"search": "needle"})) == []


def test_search_treats_sql_wildcards_literally(api_client):
    literal = PostFactory(title="100% sure_thing")
    PostFactory(title="1000 sure things")

    assert ids(api_client.get(POSTS, {"search": "100%"})) == [literal.id]
    assert ids(api_client.get(POSTS, {"search": "e_t"})) == [literal.id]


def test_empty_search_matches_everything(api_client):
    PostFactory.create_batch(2)

    assert api_client.get(POSTS, {"search": ""}).json()["count"] == 2


def test_search_does_not_reveal_drafts(api_client):
    DraftFactory(title="secret plans")

    assert ids(api_client.get(POSTS, {"search": "secret"})) == []


def test_filters_combine(user, auth_client):
    match = PostFactory(owner=user, title="alpha one")
    DraftFactory(owner=user, title="alpha two")
    PostFactory(owner=user, title="beta")
    PostFactory(title="alpha three")

    response = auth_client.get(POSTS, {"owner": user.id, "published": "true", "search": "alpha"})

    assert ids(response) == [match.id]


def test_ordering_created_at_is_oldest_first(api_client):
    old, new = posts_aged(10, 5)

    assert ids(api_client.get(POSTS, {"ordering": "created_at"})) == [old.id, new.id]
    assert ids(api_client.get(POSTS, {"ordering": "-created_at"})) == [new.id, old.id]


def test_ordering_by_votes(api_client):
    few, many, none = PostFactory(votes=1), PostFactory(votes=2), PostFactory()

    assert ids(api_client.get(POSTS, {"ordering": "-votes"})) == [many.id, few.id, none.id]
    assert ids(api_client.get(POSTS, {"ordering": "votes"})) == [none.id, few.id, many.id]


def test_ordering_by_several_fields(api_client):
    old_liked, new_liked, old, new = posts_aged(40, 30, 20, 10)
    Post.objects.filter(pk__in=[old_liked.pk, new_liked.pk]).update(votes=1)

    response = api_client.get(POSTS, {"ordering": "-votes,created_at"})

    assert ids(response) == [old_liked.id, new_liked.id, old.id, new.id]


@pytest.mark.parametrize("ordering", [None, "-created_at", "created_at", "-votes", "votes"])
def test_ties_are_broken_by_id_descending(api_client, ordering):
    same_time = timezone.now()
    posts = PostFactory.create_batch(4, created_at=same_time)
    params = {"ordering": ordering} if ordering else {}

    assert ids(api_client.get(POSTS, params)) == sorted((p.id for p in posts), reverse=True)


def test_paging_through_an_owners_feed_returns_every_post_once_newest_first(user, auth_client):
    same_time = timezone.now()
    mine = [
        *posts_aged(*range(10, 0, -1), owner=user),
        *PostFactory.create_batch(3, owner=user, created_at=same_time),
        *DraftFactory.create_batch(2, owner=user, created_at=same_time),
    ]
    PostFactory.create_batch(3)
    expected = [p.id for p in sorted(mine, key=lambda p: (p.created_at, p.id), reverse=True)]

    seen, url = [], f"{POSTS}?owner={user.id}&limit=3"
    while url:
        page = auth_client.get(url).json()
        assert page["count"] == len(mine)
        assert len(page["results"]) <= 3
        seen += [post["id"] for post in page["results"]]
        url = page["next"]

    assert seen == expected


def test_search_ignores_the_case_of_every_letter_not_only_ascii(api_client):
    """SQLite's own LIKE folds ASCII letters only; `make run` must find what PostgreSQL finds."""
    unicode = PostFactory(title="Ünïcödé à la carte")
    PostFactory(title="Unicode, plain")

    assert ids(api_client.get(POSTS, {"search": "ünï"})) == [unicode.id]
    assert ids(api_client.get(POSTS, {"search": "À LA"})) == [unicode.id]
    assert ids(api_client.get(POSTS, {"search": "CÖDÉ"})) == [unicode.id]
