import json

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD
from posts.models import Post

pytestmark = pytest.mark.browser


def open_docs(page):
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Agora API")


def authorize(page, user):
    """Log in through the Authorize dialog's OAuth2 password flow, then close it."""
    page.locator(".auth-wrapper .btn.authorize").click()
    dialog = page.locator(".dialog-ux .modal-ux")
    dialog.locator("#oauth_username").fill(user.username)
    dialog.locator("#oauth_password").fill(DEFAULT_PASSWORD)
    # Swagger UI labels its dialog buttons for screen readers differently from their text.
    dialog.locator("button.authorize", has_text="Authorize").click()
    expect(dialog.locator("button", has_text="Logout")).to_be_visible()
    dialog.locator("button.btn-done", has_text="Close").click()
    expect(dialog).to_be_hidden()


def try_it_out(page, operation_id, body=None):
    """Expand an operation, send it with "Try it out" and return its response block."""
    operation = page.locator(f"#operations-{operation_id}")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    if body is not None:
        operation.locator("textarea.body-param__text").fill(body)
    operation.get_by_role("button", name="Execute").click()
    return operation.locator(".live-responses-table .response")


def test_authorize_create_a_post_with_try_it_out_and_keep_the_authorization(
    page, api, member, screenshot
):
    open_docs(page)

    authorize(page, member)
    body = json.dumps({"title": "Hello from Swagger UI", "content": "Sent with Try it out."})
    response = try_it_out(page, "posts-posts_create", body)

    expect(response.locator(".response-col_status")).to_have_text("201")
    expect(response.locator(".response-col_description")).to_contain_text("Hello from Swagger UI")
    response.scroll_into_view_if_needed()
    screenshot(page, "swagger-ui-post-created")
    post = Post.objects.get(title="Hello from Swagger UI")
    assert post.owner == member
    seen = api.get(f"/api/v1/posts/{post.pk}/")
    assert seen.status == 200, seen.text()
    assert seen.json()["owner"] == {"id": member.pk, "username": member.username}

    page.reload()
    authorize_button = page.locator(".auth-wrapper .btn.authorize")
    expect(authorize_button).to_have_class("btn authorize locked")
    authorize_button.click()
    expect(page.locator(".dialog-ux button", has_text="Logout")).to_be_visible()
    screenshot(page, "swagger-ui-authorization-kept")


def test_redoc_renders_the_schema_under_the_content_security_policy(page):
    page.goto("/api/redoc/")

    expect(page.locator("h1", has_text="Agora API")).to_be_visible()
    expect(
        page.get_by_text("The feed: published posts, and your own drafts").first
    ).to_be_attached()


def lock_of(page, operation_id):
    return page.locator(f"#operations-{operation_id} .authorization__btn")


def test_the_locks_say_which_routes_need_a_token_and_which_take_one(page, member, screenshot):
    open_docs(page)
    required, optional = "users-users_me_retrieve", "posts-posts_list"

    for operation in (required, optional):
        expect(lock_of(page, operation)).to_have_attribute(
            "aria-label", "authorization button unlocked"
        )
    expect(page.locator(f"#operations-{required} .agora-token-required")).to_be_attached()
    expect(page.locator(f"#operations-{optional} .agora-token-optional")).to_be_attached()
    expect(lock_of(page, "auth-auth_login_create")).to_have_count(0)
    screenshot(page, "swagger-ui-locks")

    authorize(page, member)

    for operation in (required, optional):
        expect(lock_of(page, operation)).to_have_attribute(
            "aria-label", "authorization button locked"
        )


def test_the_authorize_dialog_asks_for_a_handle_and_a_password_only(page):
    open_docs(page)
    page.locator(".auth-wrapper .btn.authorize").click()
    dialog = page.locator(".dialog-ux .modal-ux")

    expect(dialog.locator("#oauth_username")).to_be_visible()
    expect(dialog.locator("#oauth_password")).to_be_visible()
    for hidden in ("#client_id_password", "#client_secret_password", "#password_type"):
        expect(dialog.locator(hidden)).to_be_hidden()


@pytest.mark.parametrize(
    ("operation_id", "expected"),
    [
        ("posts-posts_create", "Notes on the Analytical Engine"),
        ("users-users_create", "ada@example.com"),
        ("votes-votes_create", '"post_id": 1'),
        ("comments-posts_comments_create", "the engine weaves algebra"),
    ],
)
def test_try_it_out_starts_from_a_realistic_example(page, operation_id, expected):
    open_docs(page)
    operation = page.locator(f"#operations-{operation_id}")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()

    expect(operation.locator("textarea.body-param__text")).to_contain_text(expected)
