import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD

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


def test_authorize_then_try_it_out_and_the_authorization_survives_a_reload(
    page, member, screenshot
):
    open_docs(page)

    authorize(page, member)
    response = try_it_out(page, "users-users_me_retrieve")

    expect(response.locator(".response-col_status")).to_have_text("200")
    expect(response.locator(".response-col_description")).to_contain_text(member.email)

    page.reload()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Agora API")
    expect(page.locator(".auth-wrapper .btn.authorize")).to_have_class("btn authorize locked")
    page.locator(".auth-wrapper .btn.authorize").click()
    expect(page.locator(".dialog-ux button", has_text="Logout")).to_be_visible()
    screenshot(page, "swagger-ui-authorization-kept")
