"""The throughput plot of a benchmark report: `python bench/plot.py [report.json] [out.png]`."""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scenarios import SCENARIOS

RESULTS = Path(__file__).resolve().parent / "results"


def plot(report, out):
    full = report["summary"]["full"]
    names = [s.name for s in SCENARIOS if s.name in full]
    titles = {s.name: s.title for s in SCENARIOS}
    rps = [full[name]["rps"] for name in names]
    p99 = [full[name]["p99_ms"] for name in names]

    figure, axis = plt.subplots(figsize=(10, 5.5), dpi=110)
    bars = axis.barh(range(len(names)), rps, color="#4c72b0")
    axis.set_yticks(range(len(names)), [titles[name] for name in names])
    axis.invert_yaxis()
    axis.set_xlabel("requests per second (median of runs)")
    cpu = [full[name]["cpu_ms_per_request"] for name in names]
    for bar, value, latency, cpu_ms in zip(bars, rps, p99, cpu, strict=True):
        axis.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {value:,.0f} req/s, p99 {latency:.0f} ms, {cpu_ms:.2f} ms CPU",
            va="center",
            fontsize=8,
        )
    axis.set_xlim(0, max(rps) * 1.35)
    config = report["config"]
    sizes = config["sizes"]["full"]
    data = ", ".join(f"{size:,} {name}" for name, size in sizes.items())
    axis.set_title(
        f"Agora on {report['machine']['cpus']} cores: {data}; wrk, "
        f"{config['connections']} connections, "
        f"{config['repeat']} x {config['duration_s']} s",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(out)
    plt.close(figure)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS / "latest.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else RESULTS / "throughput.png"
    plot(json.loads(source.read_text()), target)
