"""Password hashing takes turns in each process, and holds nothing while it runs."""

import threading

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts import hashers
from accounts.tests.factories import DEFAULT_PASSWORD
from core.exceptions import Busy


@pytest.fixture
def turns():
    return hashers.Turns(slots=1, waiting=1, wait=0.5)


def test_a_second_hash_waits_for_the_first(turns):
    inside, leave, order = threading.Event(), threading.Event(), []

    def first():
        with turns.turn():
            inside.set()
            leave.wait(5)
            order.append("first")

    def second():
        with turns.turn():
            order.append("second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    inside.wait(5)
    threads[1].start()
    leave.set()
    for thread in threads:
        thread.join(5)

    assert order == ["first", "second"]


def test_beyond_the_waiting_room_a_hash_is_refused_at_once(turns):
    inside, leave = threading.Event(), threading.Event()
    waiter_started = threading.Event()

    def hold():
        with turns.turn():
            inside.set()
            leave.wait(5)

    def wait_for_a_turn():
        waiter_started.set()
        with turns.turn():
            pass

    holder, waiter = threading.Thread(target=hold), threading.Thread(target=wait_for_a_turn)
    holder.start()
    inside.wait(5)
    waiter.start()
    waiter_started.wait(5)
    while turns.waiting_now() < 2:  # the holder and the waiter are both admitted
        threading.Event().wait(0.001)
    try:
        with pytest.raises(Busy), turns.turn():
            pass
    finally:
        leave.set()
        holder.join(5)
        waiter.join(5)


def test_a_wait_longer_than_allowed_is_refused(turns):
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with turns.turn():
            inside.set()
            leave.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        with pytest.raises(Busy), turns.turn():
            pass
    finally:
        leave.set()
        holder.join(5)


def test_a_hash_inside_a_hash_takes_no_second_turn(turns):
    with turns.turn(), turns.turn():
        nested = True

    assert nested


def test_every_configured_hasher_takes_turns(settings):
    for path in settings.PASSWORD_HASHERS:
        assert path.startswith("accounts.hashers."), path


@pytest.mark.django_db
def test_a_login_while_hashing_is_full_is_503_with_retry_after(api_client, user, monkeypatch):
    full = hashers.Turns(slots=1, waiting=0, wait=0.1)
    monkeypatch.setattr(hashers, "turns", full)
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with full.turn():
            inside.set()
            leave.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        response = api_client.post(
            "/api/v1/auth/login/",
            {"username": user.email, "password": DEFAULT_PASSWORD},
            format="json",
        )
    finally:
        leave.set()
        holder.join(5)

    assert response.status_code == 503
    assert response.json() == {"detail": Busy.message}
    assert response.headers["Retry-After"] == "1"


@pytest.mark.django_db(transaction=True)
def test_sign_up_hashes_outside_any_transaction(api_client, monkeypatch):
    seen = []
    encode = hashers.MD5PasswordHasher.encode

    def spy(self, password, salt):
        seen.append(connection.in_atomic_block)
        return encode(self, password, salt)

    monkeypatch.setattr(hashers.MD5PasswordHasher, "encode", spy)
    body = {"email": "ada@example.com", "password": "correct-horse-battery"}

    assert api_client.post("/api/v1/users/", body, format="json").status_code == 201
    assert seen == [False]


def test_a_hash_made_by_a_turn_taking_hasher_is_a_standard_one():
    encoded = make_password("a-passphrase")

    assert encoded.startswith("md5$")
