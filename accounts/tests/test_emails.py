"""One mailbox, one account: emails are normalised before they are stored or compared."""

import pytest

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
TAKEN = "A user with this email already exists."


def sign_up(client, email):
    return client.post(URL, {"email": email, "password": "correct-horse-battery"}, format="json")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Box@Example.COM", "box@example.com"),
        ("box@BÜCHER.example", "box@bücher.example"),
        ("box@xn--bcher-kva.example", "box@bücher.example"),
    ],
)
def test_an_email_is_stored_in_its_one_normal_form(api_client, sent, stored):
    response = sign_up(api_client, sent)

    assert response.status_code == 201, response.content
    assert response.json()["email"] == stored
    assert User.objects.get().email == stored


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("box@bücher.example", "box@xn--bcher-kva.example"),
        ("box@xn--bcher-kva.example", "BOX@Bücher.example"),
    ],
)
def test_two_spellings_of_one_mailbox_are_one_account(api_client, first, second):
    assert sign_up(api_client, first).status_code == 201

    response = sign_up(api_client, second)

    assert response.status_code == 400
    assert response.json() == {"email": [TAKEN]}


@pytest.mark.parametrize("email", ['"box"@example.com', '"b ox"@example.com', "box@[192.0.2.1]"])
def test_quoted_local_parts_and_address_literals_are_400(api_client, email):
    response = sign_up(api_client, email)

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert not User.objects.exists()


def test_a_login_by_another_spelling_of_the_email_finds_the_account(api_client):
    UserFactory(email="box@bücher.example")

    response = api_client.post(
        "/api/v1/auth/login/",
        {"email": "BOX@xn--bcher-kva.example", "password": DEFAULT_PASSWORD},
        format="json",
    )

    assert response.status_code == 200


def test_an_email_change_to_another_spelling_of_a_taken_mailbox_is_400(auth_client):
    UserFactory(email="box@bücher.example")

    response = auth_client.patch(
        "/api/v1/users/me/", {"email": "box@xn--bcher-kva.example"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"email": [TAKEN]}
