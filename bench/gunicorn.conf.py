"""gunicorn.conf.py as it is, plus a count of the requests each worker answers, for the benchmark.

Each worker adds one to its own slot of a small file that bench/run.py maps (BENCH_WORKER_COUNTS,
SLOTS slots of (pid, requests)); the benchmark reads it before and after each run to see how
evenly the workers shared the load. Nothing else differs from the production configuration.
"""

import mmap
import os
import runpy
import struct
import threading
from pathlib import Path

globals().update(
    (name, value)
    for name, value in runpy.run_path(
        str(Path(__file__).parent.parent / "gunicorn.conf.py")
    ).items()
    if not name.startswith("__")
)

SLOTS = 64
SLOT = struct.Struct("QQ")


production_post_fork = post_fork  # noqa: F821 (from gunicorn.conf.py, above)


def post_fork(server, worker):
    production_post_fork(server, worker)
    fd = os.open(os.environ["BENCH_WORKER_COUNTS"], os.O_RDWR)
    worker.bench_counts = mmap.mmap(fd, SLOTS * SLOT.size)
    os.close(fd)
    worker.bench_offset = (worker.age % SLOTS) * SLOT.size
    worker.bench_lock = threading.Lock()
    SLOT.pack_into(worker.bench_counts, worker.bench_offset, worker.pid, 0)


def post_request(worker, req, environ, resp):
    with worker.bench_lock:
        pid, count = SLOT.unpack_from(worker.bench_counts, worker.bench_offset)
        SLOT.pack_into(worker.bench_counts, worker.bench_offset, pid, count + 1)
