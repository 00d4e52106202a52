"""The settings of the test suite and of the servers its tests start, in one place.

The project's own settings (config/settings.py) with, for tests only:
- a throwaway secret key and debug mode (no HTTPS redirect) unless the environment says
  otherwise: the servers that attack or fuzz Agora set DJANGO_DEBUG=false and a key of their own,
  so that they run the production code paths;
- a `replica` database, the test database itself through a connection of its own, for the
  tests of the replica router (posts/tests/test_replica_reads.py), which turn the router on;
- a fast password hasher: Argon2id takes about 30 ms of CPU per password (PBKDF2 half a
  second), and the suite, the fuzzer and the outage test sign up and log in thousands of times.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-not-secret-0123456789abcdefghijklmnopq")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["accounts.hashers.MD5PasswordHasher"]

DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405
