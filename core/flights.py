"""One computation at a time per key in this process, its result shared by whoever asked meanwhile.

When a cached value expires under load, every thread that misses it would compute it again at
once (a cache stampede): eight threads counting the same 100,000 rows on two cores each took
eight times as long. Here the first thread to miss computes, and the threads that ask for the
same key meanwhile wait for its result. Only keys being computed are held, so the table stays
as small as the number of threads.
"""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Flight(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: T | None = None
        self.failed = False


class SingleFlight(Generic[T]):
    """`run(key, compute)`: compute's result, computed once for the threads that ask at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight[T]] = {}

    def run(self, key: str, compute: Callable[[], T]) -> T:
        with self._lock:
            flight = self._flights.get(key)
            leads = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leads:
            flight.done.wait()
            if not flight.failed:
                return flight.result  # type: ignore[return-value]
            # The leader's computation failed (a timeout, say): this thread tries on its own,
            # and gets its own answer or its own error.
            return compute()
        try:
            flight.result = compute()
        except BaseException:
            flight.failed = True
            raise
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
        return flight.result

    def __len__(self) -> int:
        return len(self._flights)
