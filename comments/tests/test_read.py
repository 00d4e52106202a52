"""GET /api/v1/posts/{id}/comments/ and /api/v1/comments/{id}/: whoever sees a post reads its
comments, oldest first, by cursor; hidden comments and, for a signed-in caller, those of users a
block stands between are left out."""

import pytest

from accounts.tests.factories import UserFactory
from comments.tests.factories import CommentFactory, HiddenCommentFactory
from posts.tests.factories import DraftFactory, PostFactory
from relationships.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def comments_url(post):
    return f"/api/v1/posts/{post.id}/comments/"


def comment_url(comment):
    return f"/api/v1/comments/{comment.id}/"


def ids(response):
    return [comment["id"] for comment in response.json()["results"]]


def test_a_post_s_comments_are_listed_oldest_first(api_client):
    post = PostFactory()
    comments = CommentFactory.create_batch(3, post=post)
    CommentFactory(post=PostFactory())

    response = api_client.get(comments_url(post))

    assert response.status_code == 200
    assert set(response.json()) == {"next", "previous", "results"}
    assert ids(response) == [comment.id for comment in comments]
    first = response.json()["results"][0]
    assert first == api_client.get(comment_url(comments[0])).json()
    assert first["author"] == {"id": comments[0].author_id, "username": comments[0].author.username}
    assert "Link" not in response


def test_a_post_without_comments_lists_none(api_client):
    response = api_client.get(comments_url(PostFactory()))

    assert response.json() == {"next": None, "previous": None, "results": []}


def test_pages_follow_the_cursor_oldest_first_with_link_headers(api_client):
    post = PostFactory()
    comments = CommentFactory.create_batch(5, post=post)

    first = api_client.get(comments_url(post), {"limit": 2})
    second = api_client.get(first.json()["next"])
    third = api_client.get(second.json()["next"])
    back = api_client.get(third.json()["previous"])

    assert ids(first) == [comments[0].id, comments[1].id]
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    assert ids(second) == [comments[2].id, comments[3].id]
    assert 'rel="next"' in second["Link"]
    assert 'rel="prev"' in second["Link"]
    assert ids(third) == [comments[4].id]
    assert third.json()["next"] is None
    assert ids(back) == ids(second)


def test_a_page_by_cursor_is_stable_while_comments_come_and_go(api_client):
    post = PostFactory()
    comments = CommentFactory.create_batch(4, post=post)
    first = api_client.get(comments_url(post), {"limit": 2}).json()

    comments[0].delete()
    CommentFactory(post=post)
    second = api_client.get(first["next"]).json()

    assert [c["id"] for c in second["results"]] == [comments[2].id, comments[3].id]


def test_the_limit_is_clamped_to_100(api_client):
    post = PostFactory()
    CommentFactory.create_batch(101, post=post)

    response = api_client.get(comments_url(post), {"limit": 1000})

    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None


@pytest.mark.parametrize(
    "query",
    [
        "cursor=bm90LWEtY3Vyc29y",
        "cursor=%%%",
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=5.0",
        "limit=1&limit=2",
    ],
)
def test_bad_paging_parameters_are_400(api_client, query):
    post = PostFactory()

    response = api_client.get(f"{comments_url(post)}?{query}")

    assert response.status_code == 400
    assert set(response.json()) <= {"cursor", "limit"}


def test_an_edited_cursor_is_400_with_a_message(api_client):
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    next_link = api_client.get(comments_url(post), {"limit": 1}).json()["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    edited = cursor[:-3] + ("AAA" if cursor[-3:] != "AAA" else "BBB")

    response = api_client.get(f"{comments_url(post)}?cursor={edited}")

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor is not valid; start again from the first page."]
    }


def test_a_draft_s_comments_are_its_owner_s_only(api_client, auth_client, other_client, user):
    draft = DraftFactory(owner=user)
    comment = CommentFactory(post=draft, author=user)

    assert ids(auth_client.get(comments_url(draft))) == [comment.id]
    assert auth_client.get(comment_url(comment)).status_code == 200
    for client in (api_client, other_client):
        listed = client.get(comments_url(draft))
        read = client.get(comment_url(comment))
        assert (listed.status_code, read.status_code) == (404, 404)
        assert listed.json() == read.json() == {"detail": "Not found."}


@pytest.mark.parametrize("post_id", ["999999", "9223372036854775808"])
def test_an_unknown_post_s_comments_are_404(api_client, post_id):
    assert api_client.get(f"/api/v1/posts/{post_id}/comments/").status_code == 404


@pytest.mark.parametrize("comment_id", ["999999", "9223372036854775808", "1_0", "٣"])
def test_an_unknown_comment_is_404(api_client, comment_id):
    CommentFactory()

    response = api_client.get(f"/api/v1/comments/{comment_id}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_comment_reads_without_trailing_slash(api_client):
    comment = CommentFactory()

    assert api_client.get(f"/api/v1/comments/{comment.id}").status_code == 200


def test_hidden_comments_are_404_and_left_out_of_lists(api_client, auth_client, user):
    post = PostFactory(owner=user)
    shown = CommentFactory(post=post)
    hidden = HiddenCommentFactory(post=post, author=user)

    for client in (api_client, auth_client):
        assert ids(client.get(comments_url(post))) == [shown.id]
        assert client.get(comment_url(hidden)).status_code == 404
    assert api_client.get(f"/api/v1/posts/{post.id}/").json()["comments_count"] == 1


@pytest.mark.parametrize("blocker", ["caller", "author"])
def test_comments_by_users_blocked_either_way_are_left_out_of_the_caller_s_lists(
    api_client, auth_client, user, blocker
):
    post = PostFactory()
    blocked_author, other_author = UserFactory(), UserFactory()
    if blocker == "caller":
        BlockFactory(blocker=user, blocked=blocked_author)
    else:
        BlockFactory(blocker=blocked_author, blocked=user)
    kept = CommentFactory(post=post, author=other_author)
    left_out = CommentFactory(post=post, author=blocked_author)

    assert ids(auth_client.get(comments_url(post))) == [kept.id]
    # Public routes are as an anonymous caller reads them.
    assert ids(api_client.get(comments_url(post))) == [kept.id, left_out.id]
    assert auth_client.get(comment_url(left_out)).status_code == 200
    assert auth_client.get(f"/api/v1/posts/{post.id}/").json()["comments_count"] == 2


def test_comments_left_out_take_no_room_on_a_page(auth_client, user):
    post = PostFactory()
    blocked = UserFactory()
    BlockFactory(blocker=user, blocked=blocked)
    CommentFactory.create_batch(3, post=post, author=blocked)
    kept = CommentFactory.create_batch(2, post=post)

    first = auth_client.get(comments_url(post), {"limit": 2})

    assert ids(first) == [comment.id for comment in kept]
    assert first.json()["next"] is None


def test_a_bad_token_is_401_even_where_a_token_is_optional(api_client):
    post = PostFactory()
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert api_client.get(comments_url(post)).status_code == 401
    assert api_client.get(comment_url(CommentFactory(post=post))).status_code == 401
