"""Each scenario's SQL queries, counted by replaying its request in-process (bench/querycount.py)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import scenarios as sc
from bench.common import ROOT
from bench.seeding import BENCH_PASSWORD


def count_queries(env, users, detail_id):
    """Replay each scenario's request in-process and count its SQL queries."""
    _, token, post = users[0]
    limit_100 = f"{sc.POSTS}?limit=100"
    specs = []
    for scenario in sc.SCENARIOS:
        spec = {"name": scenario.name, "method": "GET", "path": scenario.path, "expect": 200}
        spec["token"] = token if scenario.auth else None
        if scenario.kind == "like":
            like = {**spec, "method": "POST", "body": {"post_id": post, "dir": 1}, "expect": 201}
            specs.append({**like, "name": "like"})
            specs.append(
                {**like, "name": "unlike", "body": {"post_id": post, "dir": 0}, "expect": 200}
            )
            continue
        if scenario.kind == "login":
            spec.update(method="POST", body={"username": users[0][0], "password": BENCH_PASSWORD})
        elif scenario.post_detail:
            spec["path"] = sc.detail_path(detail_id)
        else:
            spec["cold"] = scenario.path.startswith(sc.POSTS)
        specs.append(spec)
    for name, auth in (("feed_anon_limit_100", None), ("feed_auth_limit_100", token)):
        specs.append(
            {
                "name": name,
                "method": "GET",
                "path": limit_100,
                "token": auth,
                "expect": 200,
                "cold": True,
            }
        )
    specs.append(
        {
            "name": "post_detail_auth",
            "method": "GET",
            "path": sc.detail_path(detail_id),
            "token": token,
            "expect": 200,
        }
    )
    # The querycount process has its own in-memory cache: never clear a shared Redis.
    env = {key: value for key, value in env.items() if key != "REDIS_URL"}
    with tempfile.TemporaryDirectory(prefix="agora-bench-") as directory:
        # A file, not stdout: the app logs every request on stdout.
        out = Path(directory) / "queries.json"
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "querycount.py"), str(out)],
            input=json.dumps(specs),
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"query count failed:\n{result.stderr[-3000:]}")
        return json.loads(out.read_text())


def queries_of(queries, name):
    """The figure shown in the table: cold (cache emptied) / warm for lists, else the count."""
    if name == "like_unlike":
        return f"{queries['like']['queries']}+{queries['unlike']['queries']}"
    entry = queries[name]
    if "cold" in entry:
        return f"{entry['cold']['queries']}/{entry['warm']['queries']}"
    return str(entry["queries"])
