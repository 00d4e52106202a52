"""Handles that impersonate: reserved names, punctuation alone, look-alikes of a taken handle,
and derived handles that must always fit the column."""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
ME = "/api/v1/users/me/"
PASSWORD = "correct-horse-battery"
LOOKS_TAKEN = "This handle looks too much like an existing one; choose another."
RESERVED = "This handle is reserved; choose another."


def sign_up(client, **body):
    return client.post(URL, {"password": PASSWORD, **body}, format="json")


@pytest.mark.parametrize("handle", ["admin", "Support", "MODERATOR", "agora", "root", "staff"])
def test_a_reserved_handle_is_400(api_client, handle):
    response = sign_up(api_client, email="x@example.com", username=handle)

    assert response.status_code == 400
    assert response.json() == {"username": [RESERVED]}


def test_a_look_alike_of_a_reserved_handle_is_400_too(api_client):
    response = sign_up(api_client, email="x@example.com", username="r0ot")

    assert response.status_code == 400
    assert response.json() == {"username": [RESERVED]}


def test_a_reserved_handle_cannot_be_taken_by_a_handle_change(auth_client):
    response = auth_client.patch(ME, {"username": "Admin"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": [RESERVED]}


@pytest.mark.parametrize("handle", ["...", "___", "._._", "_.__.._"])
def test_a_handle_without_a_letter_or_digit_is_400(api_client, handle):
    response = sign_up(api_client, email="x@example.com", username=handle)

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.parametrize("handle", ["_ada", "a..", "..1", "ada_"])
def test_punctuation_beside_a_letter_or_digit_is_fine(api_client, handle):
    assert sign_up(api_client, email="x@example.com", username=handle).status_code == 201


@pytest.mark.parametrize(
    ("taken", "look_alike"),
    [
        ("alan", "aIan"),  # capital i for a small L
        ("alan", "a1an"),  # one for a small L
        ("bob", "b0b"),  # zero for an o
        ("bob", "BOB"),  # case alone, as before
        ("moderna", "rnoderna"),  # r and n for an m
        ("adal", "ada1"),
    ],
)
def test_a_handle_that_looks_like_a_taken_one_is_400(api_client, taken, look_alike):
    UserFactory(username=taken)

    response = sign_up(api_client, email="x@example.com", username=look_alike)

    assert response.status_code == 400
    assert response.json()["username"][0] in (
        LOOKS_TAKEN,
        "A user with this username already exists.",
    )


def test_a_handle_change_to_a_look_alike_is_400(auth_client):
    UserFactory(username="alan")

    response = auth_client.patch(ME, {"username": "aIan"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": [LOOKS_TAKEN]}


def test_changing_the_case_of_ones_own_handle_is_fine(auth_client, user):
    response = auth_client.patch(ME, {"username": user.username.upper()}, format="json")

    assert response.status_code == 200


def test_the_database_refuses_look_alikes_that_skip_the_api():
    UserFactory(username="alan")

    with pytest.raises(Exception, match="skeleton"):
        UserFactory(username="aIan")


def test_a_derived_handle_skips_look_alikes_and_reserved_names(api_client):
    UserFactory(username="adal")

    first = sign_up(api_client, email="ada@one.example")
    second = sign_up(api_client, email="ada@two.example")
    admin = sign_up(api_client, email="admin@three.example")

    assert first.json()["username"] == "ada"
    assert second.json()["username"] == "ada2"  # ada1 looks like adal
    assert admin.json()["username"] == "admin1"


def test_a_derived_handle_always_fits_even_when_every_suffix_is_taken(api_client):
    base = "b" * 26
    User.objects.bulk_create(
        [User(email=f"{n}@taken.example", username=f"{base}{n or ''}") for n in range(10_000)],
        batch_size=1000,
    )

    response = sign_up(api_client, email=f"{base}@example.com")

    assert response.status_code == 201, response.content
    handle = response.json()["username"]
    assert len(handle) <= 30
    assert handle.startswith("b" * 25)
