"""Each scenario's SQL queries, counted by replaying its request in-process (bench/querycount.py)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import scenarios as sc
from bench.common import ROOT
from bench.load import drivers
from bench.seeding import BENCH_PASSWORD

# Its own Redis database, emptied before each count: a signed-in request then reads its token's
# state from Redis, as in production, instead of from PostgreSQL (bench/querycount.py).
QUERYCOUNT_REDIS_URL = "redis://127.0.0.1:6379/11"


def count_queries(env, users, *, post, profile, commented, paths):
    """Replay each scenario's request in-process and count its SQL queries: `post` is a
    published post, `profile` an active user, `commented` a post with a page of comments,
    `paths` the paths made for some scenarios ({name: path}: the deep cursors)."""
    token = users[0].token
    limit_100 = f"{sc.POSTS}?limit=100"
    specs = []
    for scenario in sc.SCENARIOS:
        user = drivers(scenario, users)[0]
        path = paths.get(scenario.name, scenario.path)
        spec = {"name": scenario.name, "method": "GET", "path": path, "expect": 200}
        spec["token"] = user.token if scenario.auth else None
        if scenario.kind == "like":
            like = {**spec, "method": "POST", "body": {"post_id": user.post, "dir": 1}}
            specs.append({**like, "name": "like", "expect": 201})
            specs.append({**like, "name": "unlike", "body": {**like["body"], "dir": 0}})
            continue
        if scenario.kind == "follow":
            follow = {**spec, "method": "POST", "path": sc.follow_path(user.followee)}
            specs.append({**follow, "name": "follow", "expect": 201})
            specs.append({**follow, "name": "unfollow", "method": "DELETE"})
            continue
        if scenario.kind == "comment":
            body = {"content": "A comment from the benchmark's query count."}
            spec.update(method="POST", path=sc.comments_path(user.post), body=body, expect=201)
        elif scenario.kind == "login":
            spec.update(method="POST", body={"username": user.username, "password": BENCH_PASSWORD})
        elif scenario.cycle == "posts":
            spec["path"] = sc.detail_path(post)
        elif scenario.cycle == "profiles":
            spec["path"] = sc.profile_path(profile)
        elif scenario.cycle == "comments":
            spec["path"] = sc.comments_path(commented)
        elif scenario.deep:
            spec["pages"] = sc.DEEP_PAGE
        elif not scenario.revalidate:
            # The feed's total is cached: counted once with the cache emptied, once without.
            spec["cold"] = scenario.path.startswith(sc.POSTS) and scenario.path != sc.HOME
        if scenario.revalidate:
            spec.update(revalidate=True, expect=304)
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
            "path": sc.detail_path(post),
            "token": token,
            "expect": 200,
        }
    )
    env = {**env, "REDIS_URL": QUERYCOUNT_REDIS_URL}
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


# The scenarios that send two requests, and the names their queries are counted under.
PAIRS = {"like_unlike": ("like", "unlike"), "follow_unfollow": ("follow", "unfollow")}


def queries_of(queries, name):
    """The figure shown in the table: cold (cache emptied) / warm for lists, else the count."""
    if name in PAIRS:
        return "+".join(str(queries[part]["queries"]) for part in PAIRS[name])
    entry = queries[name]
    if "cold" in entry:
        return f"{entry['cold']['queries']}/{entry['warm']['queries']}"
    return str(entry["queries"])
