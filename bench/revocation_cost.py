"""The CPU a request spends on its token's revocation state: `token_states` (one MGET of the
user's and the login's states in Redis, accounts/revocation.py), timed in-process.

    DJANGO_DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora_dev \
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/revocation_cost.py

Needs a migrated database with at least one user (or creates one) and a Redis server.
"""

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from accounts.models import User  # noqa: E402
from accounts.revocation import token_states  # noqa: E402

CALLS = 5000


def main():
    user = User.objects.order_by("pk").first() or User.objects.create_user(
        "revocation-cost@example.com", "a-long-passphrase", username="revocation_cost"
    )
    login = uuid.uuid4()
    token_states(user.pk, login)  # the states, read once from the database into Redis
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(CALLS):
        token_states(user.pk, login)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"token_states: {1000 * cpu / CALLS:.4f} ms CPU, {1000 * wall / CALLS:.4f} ms wall per call"
    )


if __name__ == "__main__":
    main()
