"""gunicorn.conf.py reads its knobs from the environment, with the documented defaults."""

import multiprocessing
import runpy

from django.conf import settings


def gunicorn_settings():
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_defaults(monkeypatch):
    for name in ("PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)

    conf = gunicorn_settings()

    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["workers"] == multiprocessing.cpu_count()
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 4
    assert conf["accesslog"] is None  # each request is logged once, by Agora's request line
    assert conf["errorlog"] == "-"
    assert conf["timeout"] > 0


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")

    conf = gunicorn_settings()

    assert (conf["bind"], conf["workers"], conf["threads"]) == ("0.0.0.0:9000", 3, 8)


def test_empty_thread_count_falls_back_to_the_default(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "")

    assert gunicorn_settings()["threads"] == 4


def test_a_worker_holds_at_most_three_times_its_threads_in_connections(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "8")

    conf = gunicorn_settings()

    assert conf["worker_connections"] == 24


def test_the_master_loads_the_application_before_forking(monkeypatch):
    """A worker that replaces a recycled one is a fork of the loaded application, not a new
    import of Django (bench/README.md: p99 through a recycle)."""
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    monkeypatch.setattr("sys.argv", ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"])
    assert gunicorn_settings()["preload_app"] is True


class Worker:
    def __init__(self, age, max_requests):
        self.age, self.max_requests = age, max_requests


class Server:
    def __init__(self, workers, max_requests):
        self.num_workers = workers
        self.cfg = type("Config", (), {"max_requests": max_requests, "preload_app": True})()


def test_the_first_workers_recycle_one_after_another():
    post_fork = gunicorn_settings()["post_fork"]
    server = Server(workers=4, max_requests=50_000)
    workers = [Worker(age, 50_000 + 123) for age in (1, 2, 3, 4)]  # 123: gunicorn's jitter

    for worker in workers:
        post_fork(server, worker)

    assert sorted(w.max_requests for w in workers) == [50_123, 62_623, 75_123, 87_623]


def test_workers_are_not_recycled_when_max_requests_is_off():
    post_fork = gunicorn_settings()["post_fork"]
    worker = Worker(age=3, max_requests=2**63)  # gunicorn's "never" when max_requests is 0

    post_fork(Server(workers=2, max_requests=0), worker)

    assert worker.max_requests == 2**63


def test_the_reloader_loads_the_application_in_each_worker(monkeypatch):
    """`make run`'s --reload cannot reload a preloaded application."""
    monkeypatch.setattr("sys.argv", ["gunicorn", "-c", "gunicorn.conf.py", "--reload", "app"])
    assert gunicorn_settings()["preload_app"] is False
    monkeypatch.setattr("sys.argv", ["gunicorn"])
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--bind 127.0.0.1:9000 --reload")
    assert gunicorn_settings()["preload_app"] is False
