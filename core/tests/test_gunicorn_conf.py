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
