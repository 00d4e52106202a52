"""What every check shares: its report (`ok`, `FAIL`, `figure:` lines), one request on a new
connection, and what docker and the proxy's log say of the stack. Standard library only."""

import http.client
import json
import os
import shlex
import shutil
import subprocess
import time
import urllib.parse
import uuid

FAILED = []


def ok(message):
    print(f"ok    {message}", flush=True)


def fail(message):
    FAILED.append(message)
    print(f"FAIL  {message}", flush=True)


def check(condition, message, detail=""):
    if condition:
        ok(message)
    else:
        fail(f"{message} {detail}".rstrip())
    return condition


def figure(text):
    print(f"figure: {text}", flush=True)


def hostport(base):
    url = urllib.parse.urlsplit(base)
    return url.hostname, url.port or 80


def call(base, method, path, body=None, headers=None, timeout=10):
    """(status, body, seconds, request id) of one request on a new connection."""
    host, port = hostport(base)
    request_id = uuid.uuid4().hex
    # CHECK_HOST: the Host header to send when the address is not an allowed host (api:8000).
    sent = {
        "X-Request-ID": request_id,
        "Host": os.environ.get("CHECK_HOST", host),
        **(headers or {}),
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    start = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
    finally:
        connection.close()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = raw[:200]
    return status, answer, time.monotonic() - start, request_id


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def docker(command, *args):
    """Output of a docker command: COMMAND is `docker` or a `docker compose ...` prefix."""
    return subprocess.run(  # noqa: S603 (docker, with this script's own arguments)
        [*shlex.split(command), *args], capture_output=True, text=True, timeout=60
    ).stdout


def upstreams_by_request(compose):
    """request id -> the upstream addresses nginx tried, from the proxy's access log."""
    logs = docker(compose, "logs", "--no-log-prefix", "proxy")
    found = {}
    for line in logs.splitlines():
        if "request_id=" in line and "upstream=" in line:
            upstream = line.split("upstream=", 1)[1].split(" upstream_status=", 1)[0]
            found[line.rsplit("request_id=", 1)[1].strip()] = upstream
    return found


def container_names(compose):
    """container address -> service-numbered name (api-1, ...), for the api containers."""
    names = {}
    for container in docker(compose, "ps", "-q", "api").split():
        out = docker(
            shutil.which("docker") or "docker",
            "inspect",
            "-f",
            "{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
            container,
        ).split()
        for address in out[1:]:
            names[f"{address}:8000"] = (
                out[0].lstrip("/").rsplit("-", 2)[-2] + "-" + out[0].rsplit("-", 1)[-1]
            )
    return names
