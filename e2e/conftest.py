"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Nothing is downloaded: the browser is the system's `/usr/bin/chromium`, the Swagger UI assets
come from drf-spectacular-sidecar, and any request that leaves the live server is aborted and
fails the test.
"""

import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
# Keep Chromium off the network and quiet: no sandbox (CI runs as root), no GPU, no updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS_DIR = Path(__file__).resolve().parent / "screenshots"
# A step that waits longer than this has failed; the pages answer in well under a second.
STEP_TIMEOUT_MS = 10_000

_saved_screenshots = pytest.StashKey[list[Path]]()


def pytest_configure(config):
    config.stash[_saved_screenshots] = []


def pytest_terminal_summary(terminalreporter, config):
    saved = config.stash.get(_saved_screenshots, [])
    if saved:
        terminalreporter.write_sep("-", f"browser screenshots in {SCREENSHOTS_DIR}")
        for path in saved:
            terminalreporter.write_line(str(path))


@pytest.fixture
def playwright(live_server):
    """A Playwright driver for one test.

    Between its calls, Playwright's sync API marks its event loop as running in this thread,
    which makes Django refuse ORM calls here (SynchronousOnlyOperation) although nothing runs
    concurrently. The escape hatch is allowed only while the driver lives; it stops before the
    database is flushed, so later tests keep Django's check. ORM calls made meanwhile also get
    database connections of their own (Django keeps them per contextvars context), which are
    closed here: a connection left open would keep PostgreSQL from dropping the test database.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. The browser tests need Debian's package: "
            "`apt-get install -y chromium` (they never download a browser).",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as driver:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield driver
        connections.close_all()


@pytest.fixture
def page(playwright, live_server):
    """A fresh browser tab on the live server; fails the test if it reaches any other host, if
    a static asset does not load, or if the Content-Security-Policy blocks anything of Agora's
    own (an off-site load it blocks, like ReDoc's logo from its CDN, is the policy at work)."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    offsite, broken_assets = [], []

    def only_the_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    def check_asset(response):
        if "/static/" in response.url and not response.ok:
            broken_assets.append(f"{response.status} {response.url}")

    def check_policy(message):
        if "Content Security Policy" in message.text:
            url = re.search(r"'(https?://[^']+)'", message.text)
            if url is None or url.group(1).startswith(live_server.url):
                blocked.append(message.text)

    blocked = []
    context.route("**/*", only_the_live_server)
    context.on("response", check_asset)
    page = context.new_page()
    page.on("console", check_policy)
    yield page
    browser.close()
    assert not offsite, f"The page tried to leave the live server: {offsite}"
    assert not broken_assets, f"Static assets failed to load: {broken_assets}"
    assert not blocked, f"The Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def api(playwright, live_server):
    """An HTTP client with no cookies and no token: an anonymous API caller, unless the test
    passes an Authorization header."""
    client = playwright.request.new_context(base_url=live_server.url)
    yield client
    client.dispose()


@pytest.fixture
def screenshot(request):
    """Save the page as `<name>.png` in the screenshots folder and report its absolute path."""

    def save(page, name):
        path = SCREENSHOTS_DIR / f"{name}.png"
        page.screenshot(path=path)
        request.config.stash[_saved_screenshots].append(path)
        print(f"screenshot: {path}")
        return path

    return save


@pytest.fixture
def member(transactional_db):
    """A regular account that logs in with DEFAULT_PASSWORD."""
    return UserFactory(username="ada_reader", email="ada@example.com")


@pytest.fixture
def staff(transactional_db):
    """A moderator that logs in to the admin with DEFAULT_PASSWORD."""
    return UserFactory(
        username="moderator", email="moderator@example.com", is_staff=True, is_superuser=True
    )


def login_for_token(api, user):
    """Log in through the API as a client would and return the access token."""
    response = api.post(
        "/api/v1/auth/login/", form={"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status == 200, response.text()
    return response.json()["access_token"]
