"""Limits and revocations that must hold across several API containers: each probe is spread
over them by the proxy, and the proxy's log says which one answered."""

import json
import uuid

from probe import bearer, call, check, container_names, docker, figure, upstreams_by_request
from stack import log_in


def cmd_limits(args):
    with open(args.state) as state_file:
        state = json.load(state_file)
    names = container_names(args.compose)

    def served_by(request_ids):
        upstreams = upstreams_by_request(args.compose)
        spread = {}
        for request_id in request_ids:
            last = upstreams.get(request_id, "?").split(",")[-1].strip()
            name = names.get(last, last)
            spread[name] = spread.get(name, 0) + 1
        return dict(sorted(spread.items()))

    def login_attempts(attempts):
        """Wrong-password logins, each (body, forged X-Forwarded-For): their statuses, which
        API containers answered, and how many got past the limits (anything but 429)."""
        answers, ids = [], []
        for body, forwarded_for in attempts:
            status, _, _, request_id = call(
                args.base, "POST", "/api/v1/auth/login/", body,
                headers={"X-Forwarded-For": forwarded_for},
            )  # fmt: skip
            answers.append(status)
            ids.append(request_id)
        return answers, served_by(ids), sum(1 for status in answers if status != 429)

    # A revoked refresh token: logged out, then refused by every server.
    user = state["users"][0]
    status, pair = log_in(args, user)
    check(status == 200, "login for the revocation test 200", (status, pair))
    status, _, _, _ = call(
        args.base,
        "POST",
        "/api/v1/auth/logout/",
        {"refresh_token": pair["refresh_token"]},
        headers=bearer(pair["access_token"]),
    )
    check(status == 204, "logout of the refresh token 204", status)
    answers, ids = [], []
    for _ in range(args.tries):
        status, _, _, request_id = call(
            args.base, "POST", "/api/v1/auth/refresh/", {"refresh_token": pair["refresh_token"]}
        )
        answers.append(status)
        ids.append(request_id)
    spread = served_by(ids)
    figure(f"revoked refresh token: {args.tries} refreshes answered {answers}, served by {spread}")
    check(
        all(status == 401 for status in answers),
        f"the revoked refresh token is refused 401 {args.tries} times out of {args.tries}",
        answers,
    )
    check(len(spread) >= 2, "the refreshes were answered by more than one API container", spread)

    # Per account: wrong passwords for one account, from one client, spread over the servers.
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")
    target = state["users"][1]["email"]
    answers, spread, allowed = login_attempts(
        ({"username": target, "password": f"wrong-{n}"}, f"203.0.113.{n + 1}")
        for n in range(args.account_tries)
    )
    figure(
        f"login limit per account (5/min): {args.account_tries} wrong passwords -> {allowed} answered 401, the rest 429 {answers}; served by {spread}"
    )
    check(
        allowed <= 5
        and answers.count(429) == args.account_tries - allowed
        and set(answers) <= {401, 429},
        "at most 5 attempts per account get past the limit, whichever server answers",
        answers,
    )
    check(len(spread) >= 2, "the attempts were answered by more than one API container", spread)

    # Per client address: many accounts, each attempt with another forged X-Forwarded-For.
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")
    answers, spread, allowed = login_attempts(
        ({"username": f"nobody-{n}@example.com", "password": "wrong"}, f"198.51.100.{n + 1}")
        for n in range(args.ip_tries)
    )
    figure(
        f"login limit per client address (20/min): {args.ip_tries} attempts on {args.ip_tries} accounts with forged X-Forwarded-For -> {allowed} answered 401, {answers.count(429)} 429; served by {spread}"
    )
    check(
        allowed <= 20 and answers.count(429) >= args.ip_tries - 20 and set(answers) <= {401, 429},
        "at most 20 attempts per client address get past the limit; a forged X-Forwarded-For does not reset it",
        answers,
    )
    docker(args.compose, "exec", "-T", "redis", "redis-cli", "FLUSHALL")
    revocations(args, state["users"][2], served_by)


def revocations(args, user, served_by):
    """Each revocation holds on every API container before the revoking request answers: a
    password change, a logout (the access tokens of that login too), a deletion. The token is
    first served by several containers, then, right after the revoking answer, refused by all.
    (`user` is changed for good: a new password, then deleted.)"""

    def everywhere(token, method="GET", path="/api/v1/users/me/", body=None):
        answers, ids = [], []
        for _ in range(args.tries):
            status, _, _, request_id = call(args.base, method, path, body, headers=bearer(token))
            answers.append(status)
            ids.append(request_id)
        return answers, served_by(ids)

    def revoked(name, token, revoke, **probe):
        before, spread_before = everywhere(token, **probe)
        status = revoke()
        after, spread_after = everywhere(token, **probe)
        figure(
            f"revocation by {name}: {args.tries} requests before {before} (by {spread_before}), "
            f"the revoking request {status}, {args.tries} right after {after} (by {spread_after})"
        )
        check(
            before == [200] * args.tries and len(spread_before) >= 2,
            f"{name}: the token served by several API containers before", (before, spread_before),
        )  # fmt: skip
        check(
            after == [401] * args.tries and len(spread_after) >= 2,
            f"{name}: refused by every API container as soon as it answered",
            (status, after, spread_after),
        )

    _status, pair = log_in(args, user)
    new_password = f"ci-pass-{uuid.uuid4().hex}"
    change = {"current_password": user["password"], "new_password": new_password}
    revoked(
        "a password change",
        pair["access_token"],
        lambda: call(
            args.base, "POST", "/api/v1/users/me/password/", change,
            headers=bearer(pair["access_token"]),
        )[0],
    )  # fmt: skip
    user["password"] = new_password

    _status, pair = log_in(args, user)
    revoked(
        "a logout (the access token of that login)",
        pair["access_token"],
        lambda: call(
            args.base, "POST", "/api/v1/auth/logout/", {"refresh_token": pair["refresh_token"]}
        )[0],
    )

    _status, pair = log_in(args, user)
    token = pair["access_token"]
    revoked(
        "a deletion",
        token,
        lambda: call(args.base, "DELETE", "/api/v1/users/me/", headers=bearer(token))[0],
    )
    posts, spread = everywhere(
        token, "POST", "/api/v1/posts/", {"title": "After", "content": "Deleted."}
    )
    check(
        posts == [401] * args.tries, "a deleted user's token writes nothing: 401", (posts, spread)
    )
