"""Agora under its production command for the benchmark, on 127.0.0.1, and one request to it."""

import json
import os
import signal
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import BIN, ROOT

# bench/gunicorn.conf.py's request counters, one slot (pid, requests) per worker.
WORKER_SLOTS = 64


WORKER_SLOT = struct.Struct("QQ")


class Server:
    """gunicorn with the production config, in its own process group, stopped on exit; its
    workers count their requests in a file (bench/gunicorn.conf.py)."""

    def __init__(self, env, port, log_path):
        self.env, self.port, self.log_path = dict(env), port, log_path
        self.process = None
        self.counts_file = tempfile.NamedTemporaryFile(prefix="agora-bench-counts-")  # noqa: SIM115
        self.counts_file.write(bytes(WORKER_SLOTS * WORKER_SLOT.size))
        self.counts_file.flush()
        self.env["BENCH_WORKER_COUNTS"] = self.counts_file.name

    def worker_requests(self):
        """{worker pid: requests answered so far}."""
        data = Path(self.counts_file.name).read_bytes()
        slots = (WORKER_SLOT.unpack_from(data, n * WORKER_SLOT.size) for n in range(WORKER_SLOTS))
        return {pid: count for pid, count in slots if pid}

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log_file = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "bench/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                status, _ = http(self.base_url, "GET", "/health/")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /health/ within 60 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log_path:
            self.log_file.close()
        self.counts_file.close()

    def worker_pids(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (
                        int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                        == self.process.pid
                    ):
                        pids.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return pids


def http(base_url, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    # base_url is always http://127.0.0.1:<port>.
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def etag(base_url, path, token=None):
    """The ETag of the answer to a GET of `path` (for the caller of `token`)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(base_url + path, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 200 or not response.headers.get("ETag"):
            raise SystemExit(f"GET {path} answered {response.status} with no ETag")
        return response.headers["ETag"]
