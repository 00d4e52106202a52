"""The stack's life: up and answering, users and posts made through the proxy, and still
there after a restart."""

import json
import time
import uuid

from probe import bearer, call, check, fail, ok


def cmd_wait(args):
    deadline = time.monotonic() + args.seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = call(args.base, "GET", "/health/", timeout=3)[:2]
            if last[0] == 200:
                ok(f"GET /health/ 200 through the proxy {last[1]}")
                return
        except OSError as error:
            last = repr(error)
        time.sleep(0.5)
    fail(f"GET /health/ did not answer 200 within {args.seconds} s: {last}")


def cmd_seed(args):
    run = uuid.uuid4().hex[:8]
    users = []
    for n in range(args.users):
        email = f"ci-{run}-{n}@example.com"
        password = f"ci-pass-{uuid.uuid4().hex}"
        status, answer, _, _ = call(
            args.base,
            "POST",
            "/api/v1/users/",
            {"email": email, "password": password, "username": f"ci{run}u{n}"},
        )
        if not check(status == 201, f"sign-up {email} 201", (status, answer)):
            return
        status, pair, _, _ = call(
            args.base, "POST", "/api/v1/auth/login/", {"username": email, "password": password}
        )
        if not check(status == 200, f"login {email} 200", (status, pair)):
            return
        users.append(
            {
                "email": email,
                "password": password,
                "access": pair["access_token"],
                "refresh": pair["refresh_token"],
            }
        )
    posts = []
    for n in range(args.posts):
        owner = users[n % len(users)]
        status, post, _, _ = call(
            args.base,
            "POST",
            "/api/v1/posts/",
            {
                "title": f"CI post {run} {n}",
                "content": "Written through the proxy.",
                "published": True,
            },
            headers=bearer(owner["access"]),
        )
        if not check(
            status == 201,
            f"POST /api/v1/posts/ 201 ({post.get('id') if isinstance(post, dict) else post})",
            (status, post),
        ):
            return
        posts.append(post["id"])
    with open(args.state, "w") as out:
        json.dump({"users": users, "posts": posts}, out)


def log_in(args, user):
    """A login as `user` (as made by the data step): its status and answer."""
    body = {"username": user["email"], "password": user["password"]}
    status, pair, _, _ = call(args.base, "POST", "/api/v1/auth/login/", body)
    return status, pair


def cmd_data_check(args):
    with open(args.state) as state_file:
        state = json.load(state_file)
    user = state["users"][0]
    status, pair = log_in(args, user)
    check(status == 200, f"the user made before still logs in ({user['email']})", (status, pair))
    for post_id in state["posts"]:
        status, post, _, _ = call(args.base, "GET", f"/api/v1/posts/{post_id}/")
        check(
            status == 200 and post["id"] == post_id,
            f"GET /api/v1/posts/{post_id}/ 200: the post made before is still there",
            (status, post),
        )
