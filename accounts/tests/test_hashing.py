"""Password hashing takes turns in each process, at the lowest CPU priority, and holds nothing
while it runs."""

import os
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


def hold(turns):
    """Take the only hashing thread until the returned event is set (and the thread joined)."""
    inside, leave = threading.Event(), threading.Event()

    def hashing():
        inside.set()
        leave.wait(5)

    holder = threading.Thread(target=turns.run, args=(hashing,))
    holder.start()
    inside.wait(5)
    return leave, holder


def test_a_second_hash_waits_for_the_first(turns):
    leave, holder = hold(turns)
    order = []
    waiter = threading.Thread(target=lambda: order.append(turns.run(lambda: "second")))
    waiter.start()
    leave.set()
    holder.join(5)
    waiter.join(5)

    assert order == ["second"]


def test_beyond_the_waiting_room_a_hash_is_refused_at_once(turns):
    leave, holder = hold(turns)
    waiter = threading.Thread(target=turns.run, args=(lambda: None,))
    waiter.start()
    while turns.waiting_now() < 2:  # the holder and the waiter are both admitted
        threading.Event().wait(0.001)
    try:
        with pytest.raises(Busy):
            turns.run(lambda: None)
    finally:
        leave.set()
        holder.join(5)
        waiter.join(5)


def test_a_wait_longer_than_allowed_is_refused_and_never_runs(turns):
    leave, holder = hold(turns)
    ran = []
    try:
        with pytest.raises(Busy):
            turns.run(ran.append, "late")
    finally:
        leave.set()
        holder.join(5)

    assert turns.run(lambda: "next") == "next"
    assert ran == []


def test_a_hash_inside_a_hash_runs_on_the_same_thread(turns):
    assert turns.run(lambda: turns.run(lambda: "nested")) == "nested"


def test_a_hash_runs_at_the_lowest_priority(turns):
    assert turns.run(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())) == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == 0


def test_an_error_of_the_hash_reaches_the_caller(turns):
    def broken():
        raise ValueError("a bad hash")

    with pytest.raises(ValueError, match="a bad hash"):
        turns.run(broken)


def test_every_configured_hasher_takes_turns(settings):
    for path in settings.PASSWORD_HASHERS:
        assert path.startswith("accounts.hashers."), path


@pytest.mark.django_db
def test_a_login_while_hashing_is_full_is_503_with_retry_after(api_client, user, monkeypatch):
    full = hashers.Turns(slots=1, waiting=0, wait=0.1)
    monkeypatch.setattr(hashers, "turns", full)
    leave, holder = hold(full)
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
    run = hashers.turns.run

    def spy(work, *args, **kwargs):
        seen.append(connection.in_atomic_block)  # the asking thread's connection
        return run(work, *args, **kwargs)

    monkeypatch.setattr(hashers.turns, "run", spy)
    body = {"email": "ada@example.com", "password": "correct-horse-battery"}

    assert api_client.post("/api/v1/users/", body, format="json").status_code == 201
    assert seen == [False]


def test_a_hash_made_by_a_turn_taking_hasher_is_a_standard_one():
    encoded = make_password("a-passphrase")

    assert encoded.startswith("md5$")
