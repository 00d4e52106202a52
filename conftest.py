import pytest
import yaml
from django.core.cache import caches
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.services import token_pair_for
from accounts.tests.factories import UserFactory
from core import shared
from core.shared import _Breaker
from core.tests.redis_server import RedisServer


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Empty caches (throttle counters, the feed's count, token states) for every test."""
    for cache in caches.all():
        cache.clear()
    shared.clear()
    yield
    for cache in caches.all():
        cache.clear()
    shared.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


def client_for(user):
    """An APIClient sending a fresh bearer token for `user`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['access_token']}")
    return client


@pytest.fixture
def auth_client(user):
    return client_for(user)


@pytest.fixture
def other_client(other_user):
    return client_for(other_user)


@pytest.fixture
def held_token_state_queries(settings):
    """The queries a signed-in request spends on its token's state once an earlier request has
    read it: none while Redis holds it, one without Redis (each request reads the database)."""
    return 0 if settings.REDIS_URL else 1


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file instead of Django's shared-cache memory database.

    The concurrency tests send requests from threads, each with its own connection: on a file
    they queue for the write lock (the busy timeout), where shared-cache memory fails at once
    with "database table is locked".
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database["TEST"].get("NAME"):
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    """The OpenAPI schema as drf-spectacular generates it, validated with warnings as errors."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--file", str(path), "--validate", "--fail-on-warn")
    return yaml.safe_load(path.read_text())


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test (DRF reads THROTTLE_RATES at import time)."""

    def set_rates(**rates):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates}
        )

    return set_rates


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    """A redis-server of the test's own, retried every 0.2 s after a failure (core.shared)."""
    monkeypatch.setattr(_Breaker, "RETRY_SECONDS", 0.2)
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()
