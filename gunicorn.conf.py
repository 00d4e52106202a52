"""Gunicorn settings for Agora: `gunicorn -c gunicorn.conf.py config.wsgi`.

The same command runs in the container and on any platform that starts a Python process.
Gunicorn's own GUNICORN_CMD_ARGS overrides anything here, e.g. `--bind 127.0.0.1:9000`,
`--timeout 60` or `--keep-alive 65`.
"""

import gc
import multiprocessing
import os
import shutil
import sys
import tempfile

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# One worker process per CPU by default. Each thread of each worker holds its own database
# connection: WEB_CONCURRENCY x GUNICORN_THREADS x app servers must stay below PostgreSQL's
# max_connections (100 by default), with room for migrations and admin sessions.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())

# gthread: Django's ORM is synchronous, so no gevent/eventlet (they need psycopg patched and
# gain nothing on blocking ORM calls). A plain `sync` worker is tied up whole by one slow client
# or idle keep-alive connection and needs a buffering proxy (nginx) in front; a few threads per
# process absorb those, whatever sits in front. Django is thread-safe and gives every thread its
# own database connection.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A gthread worker keeps the keep-alive connections it accepted: one worker accepting every
# client's connection left the other idle and halved throughput. Holding at most three times its
# threads, a worker leaves the rest to the others; its threads stay busy, and up to twice their
# number of idle keep-alive connections are kept (at twice, connections were closed after each
# answer, and reconnecting cost more CPU per request). Behind the proxy connections are short.
worker_connections = 3 * threads

# A worker silent for this long is killed and restarted; no request should come near it (the
# database connect timeout is a few seconds).
timeout = 30
# On SIGTERM (container stop, deploy), in-flight requests get this long to finish.
graceful_timeout = 30
# Idle keep-alive connections are closed after this many seconds. Behind a load balancer that
# reuses connections, set it above the balancer's idle timeout (e.g. `--keep-alive 65` for 60).
keepalive = 5

# Recycle each worker after about this many requests, so that a slow leak cannot grow without
# bound; the jitter keeps the workers from restarting all at once.
# At 2,000 a worker restarted every second or two under benchmark load (1,300 vs 1,800 req/s on
# /health/), so the bound is set well above that.
max_requests = 50_000
max_requests_jitter = 5_000

# The application is loaded once, by the master, before it forks the workers: a worker that
# replaces a recycled one starts in milliseconds instead of importing Django for a second or two
# while the others take its load (bench/README.md: p99 through a recycle). The price: code is
# read at start only, so a deploy restarts gunicorn (a HUP reloads the configuration, not the
# code). Not with the reloader (`make run`'s --reload), which cannot work on a preloaded
# application.
preload_app = "--reload" not in sys.argv + os.environ.get("GUNICORN_CMD_ARGS", "").split()


def post_fork(server, worker):
    # Workers that share the load evenly reach max_requests together, and a jitter of a tenth
    # still lets them restart within seconds of each other: spread over a whole max_requests
    # by the order in which they were started, the first ones restart one after another. Those
    # that replace them start at different times and stay apart.
    if server.cfg.max_requests > 0:
        worker.max_requests += (
            (worker.age % server.num_workers) * server.cfg.max_requests // server.num_workers
        )
    # A database connection the master might have opened while loading the application is its
    # own: each worker (each of its threads) opens its own.
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()


# No control socket (gunicornc, gunicorn 25+): processes are managed with signals by the
# container runtime or platform, its default path under $HOME is not writable for the image's
# user, and every gunicorn on one host would share it.
control_socket_disable = True

# Heartbeat files on tmpfs: on Docker's overlay filesystem they can stall and get workers killed.
if os.path.isdir("/dev/shm"):  # noqa: S108 (a tmpfs mount, not a shared temp file)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Each request is logged once, by Agora itself (method, path, status, duration, request id; JSON
# with LOG_FORMAT=json): no gunicorn access line beside it. `--access-logfile -` in
# GUNICORN_CMD_ARGS brings gunicorn's back, e.g. to see what it answers without Django (a 414).
accesslog = None
errorlog = "-"
loglevel = "info"

# Prometheus metrics on METRICS_PORT (empty: none), served by this master process, never by the
# workers' port that the proxy reaches. Each worker writes its figures to files in one folder
# (prometheus_client's multiprocess mode: gunicorn's workers are processes, and a scrape answered
# by one of them would show its share only); a scrape sums them all. The folder is new for each
# start, on tmpfs like the heartbeat files, and set before the first worker forks, so that every
# worker inherits it.
metrics_port = os.environ.get("METRICS_PORT", "")
metrics_address = os.environ.get("METRICS_ADDRESS", "0.0.0.0")  # noqa: S104 (the internal network)
if metrics_port:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
        prefix="agora-metrics-",
        dir="/dev/shm" if os.path.isdir("/dev/shm") else None,  # noqa: S108 (tmpfs)
    )


def when_ready(server):
    if server.cfg.preload_app:
        # Everything the master loaded is moved out of the garbage collector's sight before the
        # workers fork: their collections no longer walk it, nor write to its pages, which
        # would copy each page into every worker.
        gc.freeze()
    if metrics_port:
        # Imported here, once PROMETHEUS_MULTIPROC_DIR is set: the forked workers inherit every
        # module the master has loaded, and prometheus_client picks its mode on import.
        from prometheus_client import CollectorRegistry, start_http_server
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        start_http_server(int(metrics_port), addr=metrics_address, registry=registry)
        server.log.info("Prometheus metrics on %s:%s", metrics_address, metrics_port)


def child_exit(server, worker):
    if metrics_port:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if metrics_port:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
