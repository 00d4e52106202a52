"""Password hashers that take turns, at the lowest CPU priority.

Every hash (sign-up, login, password change, the admin's login) runs on one of
PASSWORD_HASHING_SLOTS threads of its process, whose scheduling priority is the lowest there is
(nice 19): a request of any other route preempts it, so that a flood of hashes, each most of a
second of CPU, slows logins down before anything else. As many more requests may wait up to
PASSWORD_HASHING_WAIT seconds for a hashing thread; beyond that a request is refused at once
(`core.exceptions.Busy`, a 503 with Retry-After) instead of taking a server thread to wait.

Each hasher here is Django's own with the same algorithm name, so stored hashes are unchanged;
the first one (Argon2id) makes every new hash, and replaces an older one at its user's next
login.
"""

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import hashers

from core.exceptions import Busy

T = TypeVar("T")
_LOWEST_PRIORITY = 19


def _lowest_priority() -> None:
    """Initialise a hashing thread: Linux schedules each thread on its own, so this lowers the
    priority of this thread only (elsewhere, where it cannot, the thread keeps its own)."""
    _hashing.thread = True
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _LOWEST_PRIORITY)


_hashing = threading.local()


class Turns:
    """`slots` hashing threads per process, `waiting` more jobs in line for up to `wait` seconds
    each before they start; anything more is Busy at once. A hash asked for by a hashing thread
    itself (a hasher's `verify` calls its `encode`) runs there and then."""

    def __init__(self, *, slots: int, waiting: int, wait: float):
        self.slots, self.wait = slots, wait
        self._admitted = threading.BoundedSemaphore(slots + waiting)
        self._admitted_count = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    def waiting_now(self) -> int:
        """How many hashes run or wait to."""
        return self._admitted_count

    def _executor(self) -> ThreadPoolExecutor:
        # Made in each process on first use: a server's workers are forked from its master.
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(
                    max_workers=self.slots,
                    thread_name_prefix="password-hashing",
                    initializer=_lowest_priority,
                )
                self._pool_pid = os.getpid()
            return self._pool

    def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(*args, **kwargs)` on a hashing thread, its result or its exception."""
        if getattr(_hashing, "thread", False):
            return work(*args, **kwargs)
        if not self._admitted.acquire(blocking=False):
            raise Busy
        with self._lock:
            self._admitted_count += 1
        try:
            started = threading.Event()

            def started_work() -> T:
                started.set()
                return work(*args, **kwargs)

            future = self._executor().submit(started_work)
            if not started.wait(self.wait) and future.cancel():
                raise Busy
            return future.result()
        finally:
            with self._lock:
                self._admitted_count -= 1
            self._admitted.release()


turns = Turns(
    slots=settings.PASSWORD_HASHING_SLOTS,
    waiting=settings.PASSWORD_HASHING_SLOTS,
    wait=settings.PASSWORD_HASHING_WAIT,
)


class TakesTurnsMixin:
    """Every hash (making one, checking one, hardening the time of an outdated one) in a turn."""

    def encode(self, *args: Any, **kwargs: Any) -> str:
        encoded: str = turns.run(super().encode, *args, **kwargs)  # type: ignore[misc]
        return encoded

    def verify(self, *args: Any, **kwargs: Any) -> bool:
        verified: bool = turns.run(super().verify, *args, **kwargs)  # type: ignore[misc]
        return verified

    def harden_runtime(self, *args: Any, **kwargs: Any) -> None:
        turns.run(super().harden_runtime, *args, **kwargs)  # type: ignore[misc]


class Argon2PasswordHasher(TakesTurnsMixin, hashers.Argon2PasswordHasher):
    """Argon2id (Django's own first recommendation), with the parameters of OWASP's password
    storage cheat sheet: 19 MiB of memory, 2 passes, 1 lane. Django's defaults (100 MiB, 8
    lanes) would take 100 MiB per concurrent hash; this takes a fifth of that, and a fraction of
    PBKDF2's CPU (bench/README.md). A hash made with other parameters is remade at the next
    login, as one made by another hasher is."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1


class PBKDF2PasswordHasher(TakesTurnsMixin, hashers.PBKDF2PasswordHasher):
    """Django's default hasher, taking turns: for hashes made before Argon2id, until their
    users log in again."""


class PBKDF2SHA1PasswordHasher(TakesTurnsMixin, hashers.PBKDF2SHA1PasswordHasher):
    """Django's older PBKDF2 variant, for hashes made with it, taking turns."""


class MD5PasswordHasher(TakesTurnsMixin, hashers.MD5PasswordHasher):
    """Fast and unsafe: for the test suite only (config.test_settings), taking turns as the
    production hashers do."""
