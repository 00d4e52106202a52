"""The admin's login page: Agora's, and limited per address and per account like the API's."""

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", email="mod@example.com", is_staff=True)


def log_in(client, identifier, password="a-wrong-guess", address="192.0.2.1"):
    data = {"username": identifier, "password": password, "next": INDEX}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def test_the_login_page_is_agoras_and_asks_for_an_email_or_handle(client):
    page = client.get(LOGIN).content.decode()

    assert "Agora administration" in page
    assert "Email or handle" in page


def test_staff_log_in_with_their_handle_or_their_email(client, staff):
    assert log_in(client, "moderator", DEFAULT_PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "MOD@example.com", DEFAULT_PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_are_cut_off_even_before_the_right_one(
    client, staff, rates
):
    rates(login_ip="3/min", login_account="100/min")

    guesses = [log_in(client, f"someone{n}@example.com").status_code for n in range(3)]
    right_one = log_in(client, "moderator", DEFAULT_PASSWORD)

    assert guesses == [200, 200, 200]
    assert right_one.status_code == 429
    assert int(right_one["Retry-After"]) > 0
    assert "Too many login attempts. Try again in" in right_one.content.decode()
    assert client.get(INDEX).status_code == 302  # still logged out


def test_wrong_passwords_for_one_account_are_cut_off_from_any_address(client, staff, rates):
    """Past the account's limit, reached through its other identifier, even the right password
    is refused as a wrong one is (a 429 would tell that the two name one account)."""
    rates(login_ip="100/min", login_account="3/min")

    guesses = [
        log_in(client, identifier, address=f"198.51.100.{n}").status_code
        for n, identifier in enumerate(["mod@example.com", "MOD@example.com", "mod@example.com"])
    ]
    right_one = log_in(client, "moderator", DEFAULT_PASSWORD, address="203.0.113.9")

    assert guesses == [200, 200, 200]
    assert right_one.status_code == 200
    assert "Please enter the correct email and password" in right_one.content.decode()
    assert client.get(INDEX).status_code == 302


def test_the_api_and_the_admin_share_the_account_limit(client, api_client, staff, rates):
    rates(login_ip="100/min", login_account="2/min")
    body = {"username": "moderator", "password": "a-wrong-guess"}
    api_client.post("/api/v1/auth/login/", body, format="json")
    api_client.post("/api/v1/auth/login/", body, format="json")

    assert log_in(client, "moderator", DEFAULT_PASSWORD).status_code == 429


def test_a_login_while_password_hashing_is_full_is_a_503_page(client, staff, monkeypatch):
    import threading

    from accounts import hashers

    full = hashers.Turns(slots=1, waiting=0, wait=0.1)
    monkeypatch.setattr(hashers, "turns", full)
    inside, leave = threading.Event(), threading.Event()
    holder = threading.Thread(target=full.run, args=(lambda: inside.set() or leave.wait(5),))
    holder.start()
    inside.wait(5)
    try:
        response = log_in(client, "moderator", DEFAULT_PASSWORD)
    finally:
        leave.set()
        holder.join(5)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "busy checking passwords" in response.content.decode()
