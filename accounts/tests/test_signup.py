import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
PASSWORD = "correct-horse-battery"


def sign_up(client, **body):
    return client.post(URL, {"password": PASSWORD, **body}, format="json")


def test_sign_up_returns_the_private_user(api_client):
    response = sign_up(api_client, email="ada@example.com", username="Ada_L")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "username",
        "display_name",
        "bio",
        "created_at",
        "followers_count",
        "following_count",
        "following",
        "followed_by",
        "blocking",
        "email",
    }
    assert body["username"] == "Ada_L"
    assert body["email"] == "ada@example.com"
    assert body["created_at"].endswith("Z")


def test_sign_up_stores_email_lower_case_and_only_a_password_hash(api_client):
    response = sign_up(api_client, email="Ada.Lovelace@EXAMPLE.com")

    assert response.json()["email"] == "ada.lovelace@example.com"
    user = User.objects.get()
    assert user.email == "ada.lovelace@example.com"
    assert user.password != PASSWORD
    assert user.check_password(PASSWORD)
    assert PASSWORD not in response.content.decode()


def test_duplicate_email_differing_only_in_case_is_400_on_email(api_client):
    UserFactory(email="ada@example.com")

    response = sign_up(api_client, email="ADA@Example.COM")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_duplicate_handle_differing_only_in_case_is_400_on_username(api_client):
    UserFactory(username="Grace")

    response = sign_up(api_client, email="grace@example.com", username="gRACE")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.parametrize(
    "email",
    ["not-an-email", "a@", "@example.com", "", " ada@example.com", "ada@example.com\n"],
)
def test_invalid_email_is_400(api_client, email):
    response = sign_up(api_client, email=email)

    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.parametrize(
    "username",
    [
        "ab",
        "a" * 31,
        "has space",
        "dash-ed",
        "émile",
        "semi;colon",
        "",
        # The pattern has no room for whitespace, at either end either.
        " ada",
        "ada ",
        "ada\n",
        "\tada",
    ],
)
def test_handle_outside_the_pattern_is_400(api_client, username):
    response = sign_up(api_client, email="x@example.com", username=username)

    assert response.status_code == 400
    assert "username" in response.json()


@pytest.mark.parametrize(
    "password",
    [
        "short1!",  # shorter than 8
        "password123",  # common
        "83920174650",  # entirely numeric
        "lovelace.ada",  # too similar to the email
    ],
)
def test_weak_password_is_400_on_password(api_client, password):
    response = api_client.post(
        URL, {"email": "ada.lovelace@example.com", "password": password}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.exists()


def test_missing_fields_are_400_keyed_by_field(api_client):
    response = api_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


@pytest.mark.parametrize(
    "body",
    [
        {"email": 5},
        {"email": ["ada@example.com"]},
        {"email": "ada@example.com", "username": 12345},
        {"email": "ada@example.com", "username": True},
    ],
)
def test_non_string_values_are_400(api_client, body):
    response = sign_up(api_client, **body)

    assert response.status_code == 400


def test_password_given_as_a_number_is_400(api_client):
    response = api_client.post(
        URL, {"email": "ada@example.com", "password": 1234567890123}, format="json"
    )

    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("Ada.Lovelace+tag@example.com", "ada.lovelacetag"),
        ("a-b@example.com", "user"),
        ("x" * 40 + "@example.com", "x" * 26),
        ("o'brien@example.com", "obrien"),
    ],
)
def test_handle_is_derived_from_the_email_local_part(api_client, email, expected):
    response = sign_up(api_client, email=email)

    assert response.status_code == 201
    assert response.json()["username"] == expected


def test_derived_handle_takes_the_smallest_free_suffix(api_client):
    UserFactory(username="ada")
    UserFactory(username="ADA2")

    first = sign_up(api_client, email="ada@one.example")
    second = sign_up(api_client, email="ada@two.example")

    assert first.json()["username"] == "ada1"
    assert second.json()["username"] == "ada3"


def test_ignores_fields_that_are_not_writable(api_client):
    response = sign_up(api_client, email="ada@example.com", is_staff=True, id=999)

    assert response.status_code == 201
    user = User.objects.get()
    assert user.id != 999
    assert not user.is_staff
