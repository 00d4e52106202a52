"""Password hashers that take turns: at most PASSWORD_HASHING_SLOTS hashes run at once in a
process, and as many more requests may wait up to PASSWORD_HASHING_WAIT seconds for a turn.
Beyond that a request is refused at once (`core.exceptions.Busy`, a 503 with Retry-After)
instead of queueing: a flood of logins or sign-ups, each costing a large share of a second of
CPU, cannot take every thread or every core from the other routes.

Each hasher here is Django's own with the same algorithm name, so stored hashes are unchanged.
"""

import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import hashers

from core.exceptions import Busy


class Turns:
    """At most `slots` holders at once, `waiting` more in line for up to `wait` seconds each.
    A thread already holding a turn (a hasher's `verify` calls its `encode`) takes no other."""

    def __init__(self, *, slots: int, waiting: int, wait: float):
        self.wait = wait
        self._running = threading.BoundedSemaphore(slots)
        self._admitted = threading.BoundedSemaphore(slots + waiting)
        self._admitted_count = 0
        self._count_lock = threading.Lock()
        self._held = threading.local()

    def waiting_now(self) -> int:
        """How many threads hold or wait for a turn."""
        return self._admitted_count

    @contextmanager
    def turn(self):
        if getattr(self._held, "turn", False):
            yield
            return
        if not self._admitted.acquire(blocking=False):
            raise Busy
        with self._count_lock:
            self._admitted_count += 1
        try:
            if not self._running.acquire(timeout=self.wait):
                raise Busy
            self._held.turn = True
            try:
                yield
            finally:
                self._held.turn = False
                self._running.release()
        finally:
            with self._count_lock:
                self._admitted_count -= 1
            self._admitted.release()


turns = Turns(
    slots=settings.PASSWORD_HASHING_SLOTS,
    waiting=settings.PASSWORD_HASHING_SLOTS,
    wait=settings.PASSWORD_HASHING_WAIT,
)


class TakesTurnsMixin:
    """Every hash (making one, checking one, hardening the time of an outdated one) in a turn."""

    def encode(self, *args, **kwargs):
        with turns.turn():
            return super().encode(*args, **kwargs)

    def verify(self, *args, **kwargs):
        with turns.turn():
            return super().verify(*args, **kwargs)

    def harden_runtime(self, *args, **kwargs):
        with turns.turn():
            return super().harden_runtime(*args, **kwargs)


class PBKDF2PasswordHasher(TakesTurnsMixin, hashers.PBKDF2PasswordHasher):
    """Django's default hasher, taking turns."""


class PBKDF2SHA1PasswordHasher(TakesTurnsMixin, hashers.PBKDF2SHA1PasswordHasher):
    """Django's older PBKDF2 variant, for hashes made with it, taking turns."""


class MD5PasswordHasher(TakesTurnsMixin, hashers.MD5PasswordHasher):
    """Fast and unsafe: for the test suite only (config.test_settings), taking turns as the
    production hashers do."""
