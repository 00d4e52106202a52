"""What every part of the benchmark shares: where things are, and its log lines."""

import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent


def log(message):
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)
