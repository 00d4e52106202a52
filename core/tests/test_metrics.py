"""Prometheus metrics: every gunicorn worker's figures summed on an internal port of the master
(METRICS_PORT), never on the public one."""

import re

import requests

from security.tests.servers import Gunicorn, free_port, production_environment, running_cluster


def sample(text, name, **labels):
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    match = re.search(rf"^{name}{{{re.escape(wanted)}}} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_metrics_sum_every_worker_on_the_internal_port_only(tmp_path):
    metrics_port = free_port()
    with running_cluster() as cluster:
        environment = production_environment(
            cluster.url, METRICS_PORT=str(metrics_port), ANON_RATE="1/min", WEB_CONCURRENCY="2"
        )
        with Gunicorn(environment, tmp_path / "gunicorn.log") as server:
            answers = [requests.get(f"{server.base}/api/v1/posts/", timeout=15) for _ in range(8)]
            public = requests.get(f"{server.base}/metrics", timeout=15)
            internal = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=15)

    # Each worker counts the anonymous rate on its own here (no Redis): one 200 per worker at most.
    refused = [answer.status_code for answer in answers].count(429)
    assert refused >= 6
    assert public.status_code == 404
    assert internal.status_code == 200
    assert internal.headers["Content-Type"].startswith("text/plain")
    text = internal.text
    # /health/ was asked at least once at start, then the eight reads: whichever worker took them.
    assert sample(text, "django_http_requests_total_by_method_total", method="GET") >= 10
    assert sample(text, "django_http_responses_total_by_status_total", status="429") == refused
    assert sample(text, "django_db_execute_total", alias="default", vendor="postgresql") > 0
    assert sample(text, "agora_throttled_requests_total", scope="anon") == refused
    assert "django_http_requests_latency_including_middlewares_seconds_bucket" in text
