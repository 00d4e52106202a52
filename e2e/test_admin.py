import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD
from comments.tests.factories import CommentFactory
from e2e.conftest import login_for_token
from posts.tests.factories import PostFactory
from votes.models import Vote
from votes.tests.factories import VoteFactory

pytestmark = pytest.mark.browser


def log_in_to_admin(page, staff):
    page.goto("/admin/")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(staff.email)


def run_action_on_search_result(page, changelist_url, query, row_text, action):
    """Search a changelist, tick the row that shows `row_text` and run `action` on it."""
    page.goto(changelist_url)
    page.locator("#searchbar").fill(query)
    page.get_by_role("button", name="Search").click()
    row = page.locator("#result_list tbody tr", has_text=row_text)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go", exact=True).click()


def test_unpublishing_a_post_hides_it_from_anonymous_readers(page, api, staff, member, screenshot):
    post = PostFactory(owner=member, title="Spam that should not be seen")
    PostFactory(title="An ordinary post")
    assert api.get(f"/api/v1/posts/{post.pk}/").status == 200

    log_in_to_admin(page, staff)
    run_action_on_search_result(
        page, "/admin/posts/post/", "should not be seen", post.title, "unpublish"
    )

    expect(page.locator(".messagelist li")).to_have_text("Unpublished 1 post(s).")
    row = page.locator("#result_list tbody tr", has_text=post.title)
    expect(row.locator("td.field-published img")).to_have_attribute("alt", "False")
    screenshot(page, "admin-post-unpublished")
    assert api.get(f"/api/v1/posts/{post.pk}/").status == 404
    feed = api.get("/api/v1/posts/").json()
    assert [item["title"] for item in feed["results"]] == ["An ordinary post"]
    owner_view = api.get(
        f"/api/v1/posts/{post.pk}/",
        headers={"Authorization": f"Bearer {login_for_token(api, member)}"},
    )
    assert owner_view.json()["published"] is False


def test_hiding_a_comment_takes_it_out_of_the_api_until_it_is_shown_again(page, api, staff):
    post = PostFactory(title="A post with a rude comment")
    rude = CommentFactory(post=post, content="Something rude")
    CommentFactory(post=post, content="Something kind")
    comments = f"/api/v1/posts/{post.pk}/comments/"
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["comments_count"] == 2

    log_in_to_admin(page, staff)
    run_action_on_search_result(page, "/admin/comments/comment/", "rude", "Something rude", "hide")

    expect(page.locator(".messagelist li")).to_have_text("Hid 1 comment(s).")
    assert api.get(f"/api/v1/comments/{rude.pk}/").status == 404
    assert [c["content"] for c in api.get(comments).json()["results"]] == ["Something kind"]
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["comments_count"] == 1

    run_action_on_search_result(
        page, "/admin/comments/comment/", "rude", "Something rude", "show_again"
    )

    expect(page.locator(".messagelist li")).to_have_text("Showed 1 comment(s) again.")
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["comments_count"] == 2


def test_deleting_a_liked_post_takes_its_likes_with_it(page, api, staff, member):
    post = PostFactory(owner=member, title="Liked, then removed")
    VoteFactory(post=post)

    log_in_to_admin(page, staff)
    run_action_on_search_result(
        page, "/admin/posts/post/", "then removed", post.title, "delete_selected"
    )
    # The confirmation lists the like that goes with the post, rather than refusing.
    expect(page.locator("#content")).to_contain_text("Vote:")
    page.get_by_role("button", name=re.compile(r"^Yes, I.m sure$")).click()

    expect(page.locator(".messagelist li")).to_have_text("Successfully deleted 1 post.")
    assert api.get(f"/api/v1/posts/{post.pk}/").status == 404
    assert not Vote.objects.filter(post_id=post.pk).exists()


def test_deactivating_a_user_cuts_off_their_existing_token(page, api, staff, member, screenshot):
    token = login_for_token(api, member)
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/users/me/", headers=bearer).status == 200

    log_in_to_admin(page, staff)
    run_action_on_search_result(
        page, "/admin/accounts/user/", member.email, member.username, "deactivate"
    )

    expect(page.locator(".messagelist .success")).to_have_text("Deactivated 1 user(s).")
    row = page.locator("#result_list tbody tr", has_text=member.username)
    expect(row.locator("td.field-active img")).to_have_attribute("alt", "False")
    screenshot(page, "admin-user-deactivated")
    me = api.get("/api/v1/users/me/", headers=bearer)
    assert me.status == 401, me.text()
