"""Schemathesis hooks for .ci/fuzz: authentication through Agora's own sign-up and login routes.

Two operations end an account's tokens on success, as the contract says: deleting the account
(its posts and likes go with it) and changing its password. Each of them runs on a throwaway
account of its own, signed up for it, and replaced when its token stops working (Schemathesis
drops the cached token on a 401, calls `get` again and replays the request). Every other
operation runs as one main account that nothing deletes, so a stateful scenario (write a post,
read it, like it, take the like back) keeps its caller and its objects from step to step.
"""

import os
import re
import secrets
import string
import uuid

import requests
import schemathesis

BASE_URL = os.environ["AGORA_FUZZ_URL"]
TIMEOUT = 10
ACCOUNT_ENDING = {"DELETE /api/v1/users/me/", "POST /api/v1/users/me/password/"}
# No hex digit in the password: two hex strings look alike to Django's similarity validator,
# which would refuse a password made like the email.
PASSWORD_ALPHABET = string.ascii_letters.translate(str.maketrans("", "", "abcdefABCDEF"))


def fresh_account_token():
    """Sign up a new account through the API, log in, and return its access token."""
    email = f"fuzz-{uuid.uuid4().hex}@example.com"
    password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(24))
    signed_up = requests.post(
        f"{BASE_URL}/api/v1/users/", json={"email": email, "password": password}, timeout=TIMEOUT
    )
    signed_up.raise_for_status()
    logged_in = requests.post(
        f"{BASE_URL}/api/v1/auth/login/",
        json={"email": email, "password": password},
        timeout=TIMEOUT,
    )
    logged_in.raise_for_status()
    return logged_in.json()["access_token"]


def still_works(token):
    me = requests.get(
        f"{BASE_URL}/api/v1/users/me/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=TIMEOUT,
    )
    return me.status_code == 200


def account_of(case, context):
    """Which account an operation runs as: its own throwaway one, or the main one."""
    return "throwaway" if context.operation.label in ACCOUNT_ENDING else "main"


@schemathesis.auth(refresh_interval=600, cache_by_key=account_of)
class AccountToken:
    """A bearer token of an account signed up through the API for the fuzzing run."""

    def __init__(self):
        self.main_token = None

    def get(self, case, context):
        if account_of(case, context) == "throwaway":
            return fresh_account_token()
        # A 401 anywhere makes Schemathesis drop every cached token; the main account's still
        # works, and keeping it keeps the scenarios' objects reachable.
        if self.main_token is None or not still_works(self.main_token):
            self.main_token = fresh_account_token()
        return self.main_token

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


@schemathesis.hook
def before_call(context, case, **kwargs):
    """A fresh Idempotency-Key for each call that sends a well-formed one.

    Schemathesis draws keys from a small alphabet, so unrelated cases share one: the API then
    rightly replays the first answer (a post deleted since, for the created-resource check) or
    refuses another body with a 422. Replays, 409s and 422s have tests of their own
    (contract/test_idempotency.py, security/tests/test_races.py); here each call is its own
    request. A malformed key is sent as drawn, to be refused."""
    headers = case.headers or {}
    if IDEMPOTENCY_KEY.fullmatch(str(headers.get("Idempotency-Key", ""))):
        case.headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
