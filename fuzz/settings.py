"""Agora's settings for the servers that hostile-input tests start: production settings, with
one change.

Django's PBKDF2 takes about half a second per password on a CI machine, and Schemathesis
(.ci/fuzz) signs up, logs in and changes passwords thousands of times, as the database outage
test (security/tests/test_database_outage.py) signs up users in its stream of writes; a fast
hasher, as in the test suite, keeps them within minutes. Everything else, DEBUG included, comes
from the environment as usual.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
