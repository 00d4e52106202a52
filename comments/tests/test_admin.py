"""Comments in the Django admin: searched, filtered, hidden and shown again, deleted, each with
the posts' comments_count kept exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from comments.models import Comment
from comments.tests.counts import assert_counts_exact, count_of
from comments.tests.factories import CommentFactory, HiddenCommentFactory
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

COMMENTS = "/admin/comments/comment/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def act(client, action, comments):
    return client.post(
        COMMENTS, {"action": action, "_selected_action": [c.pk for c in comments], "post": "yes"}
    )


def listed(client, **query):
    return [comment.pk for comment in client.get(COMMENTS, query).context["cl"].result_list]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_shows_the_moderation_columns(admin_client):
    comment = CommentFactory(content="Moderate me")

    page = admin_client.get(COMMENTS).content.decode()

    assert "Moderate me" in page
    assert comment.author.username in page
    for column in ["column-excerpt", "column-author", "column-post", "column-hidden"]:
        assert column in page


def test_the_list_runs_no_query_per_row(admin_client):
    CommentFactory.create_batch(2)
    few = queries_for(admin_client, COMMENTS)
    CommentFactory.create_batch(20)

    assert queries_for(admin_client, COMMENTS) == few


@pytest.mark.parametrize("term", ["needle", "ada_the_author", "ada@example.com", "Haystack"])
def test_comments_are_searched_by_content_author_and_post(admin_client, term):
    author = UserFactory(username="ada_the_author", email="ada@example.com")
    found = CommentFactory(author=author, content="A needle", post=PostFactory(title="Haystack"))
    CommentFactory(content="Something else")

    assert listed(admin_client, q=term) == [found.pk]


def test_comments_are_filtered_by_hidden(admin_client):
    shown, hidden = CommentFactory(), HiddenCommentFactory()

    assert listed(admin_client, hidden__exact=1) == [hidden.pk]
    assert listed(admin_client, hidden__exact=0) == [shown.pk]


def test_hiding_takes_comments_off_their_posts_counts_once(admin_client):
    post, other = PostFactory(), PostFactory()
    chosen = [*CommentFactory.create_batch(2, post=post), CommentFactory(post=other)]
    already = HiddenCommentFactory(post=post)
    CommentFactory(post=post)

    response = act(admin_client, "hide", [*chosen, already])

    assert response.status_code == 302
    assert all(c.hidden for c in Comment.objects.filter(pk__in=[c.pk for c in chosen]))
    assert (count_of(post), count_of(other)) == (1, 0)
    assert_counts_exact()
    act(admin_client, "hide", chosen)
    assert (count_of(post), count_of(other)) == (1, 0)


def test_showing_again_puts_them_back_once(admin_client):
    post = PostFactory()
    hidden = HiddenCommentFactory.create_batch(2, post=post)
    shown = CommentFactory(post=post)

    act(admin_client, "show_again", [*hidden, shown])

    assert not Comment.objects.filter(hidden=True).exists()
    assert count_of(post) == 3
    assert_counts_exact()
    listed_by_api = admin_client.get(f"/api/v1/posts/{post.id}/comments/").json()["results"]
    assert len(listed_by_api) == 3


def test_hiding_within_a_filtered_list(admin_client):
    """The selection is what was ticked, whatever the list's filter says once it changes."""
    post = PostFactory()
    comments = CommentFactory.create_batch(2, post=post)

    admin_client.post(
        f"{COMMENTS}?hidden__exact=0",
        {"action": "hide", "_selected_action": [c.pk for c in comments]},
    )

    assert count_of(post) == 0
    assert_counts_exact()


def test_deleting_a_comment_lowers_its_post_s_count(admin_client):
    post = PostFactory()
    comment, _kept = CommentFactory.create_batch(2, post=post)

    response = admin_client.post(f"{COMMENTS}{comment.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert count_of(post) == 1
    assert_counts_exact()


def test_deleting_a_hidden_comment_leaves_the_count_alone(admin_client):
    post = PostFactory()
    hidden = HiddenCommentFactory(post=post)
    CommentFactory(post=post)

    admin_client.post(f"{COMMENTS}{hidden.pk}/delete/", {"post": "yes"})

    assert count_of(post) == 1
    assert_counts_exact()


def test_bulk_deleting_comments_across_posts(admin_client):
    post, other = PostFactory(), PostFactory()
    chosen = [
        *CommentFactory.create_batch(2, post=post),
        HiddenCommentFactory(post=post),
        CommentFactory(post=other),
    ]
    kept = CommentFactory(post=post)

    response = act(admin_client, "delete_selected", chosen)

    assert response.status_code == 302
    assert list(Comment.objects.all()) == [kept]
    assert (count_of(post), count_of(other)) == (1, 0)
    assert_counts_exact()


def test_editing_the_content_keeps_the_comment_hidden_and_the_count(admin_client):
    post = PostFactory()
    hidden = HiddenCommentFactory(post=post, content="Rude")

    response = admin_client.post(f"{COMMENTS}{hidden.pk}/change/", {"content": "[removed]"})

    assert response.status_code == 302
    hidden.refresh_from_db()
    assert (hidden.content, hidden.hidden, hidden.post_id) == ("[removed]", True, post.pk)
    assert count_of(post) == 0


def test_hidden_post_and_author_are_read_only_in_the_form(admin_client):
    comment = CommentFactory()
    before = (comment.hidden, comment.post_id, comment.author_id)

    admin_client.post(
        f"{COMMENTS}{comment.pk}/change/",
        {"content": "Same", "hidden": "on", "post": PostFactory().pk, "author": UserFactory().pk},
    )

    comment.refresh_from_db()
    assert (comment.hidden, comment.post_id, comment.author_id) == before
    assert_counts_exact()


def test_comments_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(f"{COMMENTS}add/").status_code == 403


def test_the_user_s_page_counts_their_comments(admin_client):
    author = UserFactory()
    CommentFactory.create_batch(2, author=author)
    HiddenCommentFactory(author=author)

    response = admin_client.get(reverse("admin:accounts_user_change", args=[author.pk]))

    shown = {
        field.field["name"]: field.contents()
        for fieldset in response.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly
    }
    assert shown["comments_written"] == "3"


def test_deleting_a_user_in_the_admin_takes_their_comments_off_other_posts(admin_client):
    author = UserFactory()
    post = PostFactory()
    CommentFactory.create_batch(2, post=post, author=author)
    CommentFactory(post=post)

    admin_client.post(
        reverse("admin:accounts_user_delete", args=[author.pk]), {"post": "yes"}, follow=True
    )

    assert count_of(post) == 1
    assert_counts_exact()
