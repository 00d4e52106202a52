"""CPU per call of the parts of a request that issue 21's levers change, in this process:
`python bench/micro.py` (needs REDIS_URL; a Django secret key of 32+ bytes). Each figure is
the median of 5 rounds of many calls (time.process_time), so a lever worth a few dozen
microseconds shows through a machine whose speed moves by a third between runs.

- throttle: two limits counted as two round trips to Redis, then as one (Counters.hit_many);
- token: an access token verified by SimpleJWT (signature, expiry, type), then found among
  those this process verified (accounts.authentication._verified) and checked for expiry.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

ROUNDS = 5


def per_call(function, calls):
    """Median microseconds of this process's CPU per call of `function`, over ROUNDS rounds."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(calls):
            function()
        rounds.append((time.process_time() - started) / calls * 1e6)
    return statistics.median(rounds)


def main():
    django.setup()
    # Imported once Django is set up: they read its settings and models.
    from django.conf import settings
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.authentication import BearerAuthentication
    from core.shared import counters

    if not settings.REDIS_URL:
        raise SystemExit("REDIS_URL is needed: the throttle's figures are round trips to Redis.")
    shared = counters()
    windows = [("bench:micro:anon", 60), ("bench:micro:user", 60)]
    two_trips = per_call(lambda: [shared.hit(key, seconds) for key, seconds in windows], 5000)
    one_trip = per_call(lambda: shared.hit_many(windows), 5000)
    print(f"throttle, 2 limits: {two_trips:.1f} us as 2 round trips, {one_trip:.1f} us as 1")

    token = str(AccessToken.for_user(type("U", (), {"pk": 1, "id": 1})())).encode()
    simplejwt = JWTAuthentication()
    ours = BearerAuthentication()
    verified = per_call(lambda: simplejwt.get_validated_token(token), 5000)
    found = per_call(lambda: ours.get_validated_token(token), 5000)
    print(f"token: {verified:.1f} us verified by SimpleJWT, {found:.1f} us found verified")


if __name__ == "__main__":
    main()
