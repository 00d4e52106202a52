import threading
import time

import pytest

from core.flights import SingleFlight

THREADS = 8


def run_together(flights, key, compute):
    """Run `flights.run(key, compute)` in THREADS threads started at once: their results."""
    start, results = threading.Barrier(THREADS), []

    def ask():
        start.wait()
        try:
            results.append(flights.run(key, compute))
        except RuntimeError as exc:
            results.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return results


def test_threads_that_miss_at_once_share_one_computation():
    flights, calls = SingleFlight(), []

    def slow_count():
        calls.append(1)
        time.sleep(0.3)
        return 42

    assert run_together(flights, "total", slow_count) == [42] * THREADS
    assert len(calls) == 1
    # Nothing is held once the computation is over.
    assert len(flights) == 0


def test_different_keys_are_computed_apart():
    flights, started = SingleFlight(), threading.Barrier(2, timeout=5)

    def count(n):
        def compute():
            started.wait()  # both computations run at the same time, or this times out
            return n

        return compute

    results = {}
    threads = [
        threading.Thread(target=lambda n=n: results.update({n: flights.run(f"k{n}", count(n))}))
        for n in (1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == {1: 1, 2: 2}


def test_after_a_failed_computation_each_waiting_thread_computes_for_itself():
    flights, calls, lock = SingleFlight(), [], threading.Lock()

    def fails_first():
        with lock:
            calls.append(1)
            first = len(calls) == 1
        time.sleep(0.2)
        if first:
            raise RuntimeError("statement timeout")
        return 7

    results = run_together(flights, "total", fails_first)
    failures = [r for r in results if isinstance(r, RuntimeError)]
    assert len(failures) == 1
    assert sorted(r for r in results if not isinstance(r, RuntimeError)) == [7] * (THREADS - 1)
    assert len(flights) == 0


def test_the_leaders_error_reaches_the_leader():
    flights = SingleFlight()

    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        flights.run("total", broken)
    assert len(flights) == 0
