"""A browser front end that logs in, refreshes and logs out through the refresh cookie alone
(docs/API.md, Authentication: the refresh cookie), on the small page Agora serves for it."""

import pytest
from playwright.sync_api import expect

from accounts.cookies import REFRESH_COOKIE
from accounts.models import TokenFamily
from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_log_in_refresh_and_log_out_through_the_cookie_alone(page, member, screenshot):
    page.goto("/api/docs/browser-login/")
    status = page.get_by_role("status")
    page.get_by_label("Handle or email").fill(member.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)

    page.get_by_role("button", name="Log in").click()
    expect(status).to_have_text(f"Logged in as {member.username}.")
    cookies = {c["name"]: c for c in page.context.cookies()}
    refresh_cookie = cookies[REFRESH_COOKIE]
    assert refresh_cookie["httpOnly"] and refresh_cookie["secure"]
    assert refresh_cookie["sameSite"] == "Strict"
    # No script of the page can read it.
    assert REFRESH_COOKIE not in page.evaluate("document.cookie")

    page.get_by_role("button", name="Refresh").click()
    expect(status).to_have_text(f"Refreshed as {member.username}.")
    rotated = {c["name"]: c for c in page.context.cookies()}[REFRESH_COOKIE]
    assert rotated["value"] != refresh_cookie["value"]
    screenshot(page, "browser-login-refreshed")

    page.get_by_role("button", name="Log out").click()
    expect(status).to_have_text("Logged out.")
    assert REFRESH_COOKIE not in {c["name"] for c in page.context.cookies()}
    assert TokenFamily.objects.filter(user=member, revoked_at__isnull=False).count() == 1

    page.get_by_role("button", name="Refresh").click()
    expect(status).to_contain_text("Error 400")
