import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/login/"
FORM = "application/x-www-form-urlencoded"


def form_login(client, **fields):
    from urllib.parse import urlencode

    return client.post(URL, urlencode(fields), content_type=FORM)


def assert_token_pair(response):
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def ada(db):
    return UserFactory(email="ada@example.com", username="Ada")


@pytest.mark.parametrize("identifier", ["ada@example.com", "ADA@EXAMPLE.COM", "Ada", "aDA"])
def test_form_login_accepts_email_or_handle_in_any_case(api_client, ada, identifier):
    response = form_login(
        api_client, username=identifier, password=DEFAULT_PASSWORD, grant_type="password"
    )

    assert_token_pair(response)


def test_form_login_ignores_client_credentials_scope_and_basic_auth(api_client, ada):
    response = api_client.post(
        URL,
        f"grant_type=password&username=Ada&password={DEFAULT_PASSWORD}"
        "&scope=&client_id=swagger&client_secret=s3cret",
        content_type=FORM,
        HTTP_AUTHORIZATION="Basic c3dhZ2dlcjpzM2NyZXQ=",
    )

    assert_token_pair(response)


def test_form_login_without_grant_type_works(api_client, ada):
    assert_token_pair(form_login(api_client, username="Ada", password=DEFAULT_PASSWORD))


def test_form_login_with_another_grant_type_is_400(api_client, ada):
    response = form_login(
        api_client, username="Ada", password=DEFAULT_PASSWORD, grant_type="client_credentials"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["grant_type"]


def test_json_login_with_username(api_client, ada):
    response = api_client.post(
        URL, {"username": "ada", "password": DEFAULT_PASSWORD}, format="json"
    )

    assert_token_pair(response)


def test_json_login_with_email(api_client, ada):
    response = api_client.post(
        URL, {"email": "Ada@Example.com", "password": DEFAULT_PASSWORD}, format="json"
    )

    assert_token_pair(response)


def test_json_login_ignores_a_bearer_header(api_client, ada):
    response = api_client.post(
        URL,
        {"email": "ada@example.com", "password": DEFAULT_PASSWORD},
        format="json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )

    assert_token_pair(response)


@pytest.mark.parametrize(
    "body",
    [
        {"password": DEFAULT_PASSWORD},
        {"username": "Ada", "email": "ada@example.com", "password": DEFAULT_PASSWORD},
    ],
)
def test_json_login_needs_exactly_one_of_username_and_email(api_client, ada, body):
    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_login_without_password_is_400(api_client, ada):
    response = api_client.post(URL, {"username": "Ada"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_login_with_non_string_password_is_400(api_client, ada):
    response = api_client.post(URL, {"username": "Ada", "password": 12345678}, format="json")

    assert response.status_code == 400


def test_login_with_another_content_type_is_415(api_client, ada):
    response = api_client.post(URL, "username=Ada", content_type="text/plain")

    assert response.status_code == 415


@pytest.mark.parametrize(
    ("identifier", "password"),
    [
        ("nobody@example.com", DEFAULT_PASSWORD),
        ("nobody", DEFAULT_PASSWORD),
        ("ada@example.com", "wrong-password"),
        ("Ada", "wrong-password"),
    ],
)
def test_wrong_identifier_or_password_is_the_same_401(api_client, ada, identifier, password):
    response = form_login(api_client, username=identifier, password=password)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_inactive_user_gets_the_same_401(api_client):
    UserFactory(email="gone@example.com", is_active=False)

    response = form_login(api_client, username="gone@example.com", password=DEFAULT_PASSWORD)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}


def test_unknown_identifier_still_runs_the_password_hasher(api_client, settings, monkeypatch):
    """Wrong email and wrong password cost the same: both hash the submitted password."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode

    def counting_encode(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    UserFactory(email="ada@example.com")
    calls.clear()

    form_login(api_client, username="nobody@example.com", password="guess-one")
    form_login(api_client, username="ada@example.com", password="guess-two")

    assert calls == ["guess-one", "guess-two"]


def test_access_token_from_login_authenticates(api_client, ada):
    token = form_login(api_client, username="Ada", password=DEFAULT_PASSWORD).json()

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    assert api_client.get("/api/v1/users/me/").json()["email"] == "ada@example.com"
