"""The whole flow through the Python client that openapi-python-client generates from the served
schema: two users sign up and log in, one posts, the other follows them, finds the post in the
home feed, likes it and comments on it; then a refresh and a logout.

    PYTHONPATH=clients/python/build python clients/python/flow.py http://127.0.0.1:8000

.ci/clients generates the package `agora_client` into clients/python/build/ and runs this with
the generator's own environment (clients/python/requirements.txt), which has what the package
needs. Every answer's status is checked, and a field or two of its body. Exits non-zero at the
first answer that is not the contract's.
"""

import secrets
import sys
from http import HTTPStatus

from agora_client import AuthenticatedClient, Client
from agora_client.api.auth import auth_login_create, auth_logout_create, auth_refresh_create
from agora_client.api.comments import posts_comments_create, posts_comments_list
from agora_client.api.posts import posts_create, posts_home_list
from agora_client.api.users import users_create, users_follow_create
from agora_client.api.votes import votes_create
from agora_client.models import (
    Comment,
    CommentRequest,
    Error,
    LoginWithEmailRequest,
    LoginWithUsernameRequest,
    PaginatedCommentList,
    PaginatedPostList,
    Post,
    PostRequest,
    PrivateUser,
    PublicUser,
    RefreshTokenRequest,
    SignUpRequest,
    TokenPair,
    TokenTypeEnum,
    VoteRequest,
    VoteResult,
)
from agora_client.types import Response


class FlowError(Exception):
    """An answer that is not the one the contract gives."""


def expect(what, response: Response, status: HTTPStatus, model=None):
    """The parsed body of `response`, after checking its status and, given `model`, its type."""
    if response.status_code != status or (model and not isinstance(response.parsed, model)):
        raise FlowError(
            f"{what}: expected {status.value}, got {response.status_code.value}: "
            f"{response.content[:500]!r}"
        )
    print(f"  {what}: {response.status_code.value}")
    return response.parsed


def check(what, condition):
    if not condition:
        raise FlowError(what)


def sign_up_and_log_in(anonymous: Client, base_url: str, *, role: str, by_email: bool):
    """A new account (a handle and a password of this run's own) and a client logged in as it."""
    handle = f"py_{role}_{secrets.token_hex(4)}"
    email = f"{handle}@example.com"
    password = secrets.token_urlsafe(18)
    user = expect(
        f"sign up {handle}",
        users_create.sync_detailed(
            # openapi-python-client asks for an AuthenticatedClient wherever the schema lists a
            # security scheme, even beside `{}` (no authentication), which is how OpenAPI says
            # that a token is optional: sign-up takes none, so the anonymous client goes.
            client=anonymous,
            body=SignUpRequest(email=email, password=password, username=handle),
        ),
        HTTPStatus.CREATED,
        PrivateUser,
    )
    check(f"the new user is {handle}", user.username == handle and user.email == email)

    # One of the two users logs in with the handle, the other with the email: the two bodies
    # of the JSON login.
    credentials = (
        LoginWithEmailRequest(email=email, password=password)
        if by_email
        else LoginWithUsernameRequest(username=handle, password=password)
    )
    pair = expect(
        f"log in {handle}",
        auth_login_create.sync_detailed(client=anonymous, body=credentials),
        HTTPStatus.OK,
        TokenPair,
    )
    check("the login answers a bearer token", pair.token_type == TokenTypeEnum.BEARER)
    # Only a login that asks for the refresh cookie goes without a refresh_token.
    check("the login answers a refresh token", isinstance(pair.refresh_token, str))
    return user, pair, AuthenticatedClient(base_url=base_url, token=pair.access_token)


def run(base_url: str) -> None:
    anonymous = Client(base_url=base_url)
    author, _, author_client = sign_up_and_log_in(
        anonymous, base_url, role="author", by_email=False
    )
    reader, reader_pair, reader_client = sign_up_and_log_in(
        anonymous, base_url, role="reader", by_email=True
    )

    post = expect(
        "post",
        posts_create.sync_detailed(
            client=author_client,
            body=PostRequest(title="Generated in Python", content="Posted by flow.py."),
        ),
        HTTPStatus.CREATED,
        Post,
    )
    check("the post is the author's", post.owner.id == author.id and post.votes == 0)

    # The schema declares path ids as strings of digits (`^[0-9]+$`), so the client takes a str.
    followed = expect(
        "follow",
        users_follow_create.sync_detailed(str(author.id), client=reader_client),
        HTTPStatus.CREATED,
        PublicUser,
    )
    check("the reader follows the author", followed.following and followed.followers_count == 1)

    feed = expect(
        "home feed",
        posts_home_list.sync_detailed(client=reader_client),
        HTTPStatus.OK,
        PaginatedPostList,
    )
    check("the post is in the reader's home feed", post.id in [p.id for p in feed.results])

    vote = expect(
        "like",
        votes_create.sync_detailed(client=reader_client, body=VoteRequest(post_id=post.id, dir_=1)),
        HTTPStatus.CREATED,
        VoteResult,
    )
    check("the like count is 1", vote.votes == 1 and vote.voted)

    comment = expect(
        "comment",
        posts_comments_create.sync_detailed(
            str(post.id), client=reader_client, body=CommentRequest(content="Nice one.")
        ),
        HTTPStatus.CREATED,
        Comment,
    )
    check("the comment is the reader's", comment.author.id == reader.id)
    comments = expect(
        "comments",
        posts_comments_list.sync_detailed(str(post.id), client=author_client),
        HTTPStatus.OK,
        PaginatedCommentList,
    )
    check(
        "the comment is listed",
        [(c.id, c.content) for c in comments.results] == [(comment.id, "Nice one.")],
    )

    refreshed = expect(
        "refresh",
        auth_refresh_create.sync_detailed(
            client=anonymous, body=RefreshTokenRequest(refresh_token=reader_pair.refresh_token)
        ),
        HTTPStatus.OK,
        TokenPair,
    )
    check(
        "the refresh answers a new pair",
        refreshed.access_token != reader_pair.access_token
        and isinstance(refreshed.refresh_token, str)
        and refreshed.refresh_token != reader_pair.refresh_token,
    )

    expect(
        "log out",
        auth_logout_create.sync_detailed(
            client=anonymous, body=RefreshTokenRequest(refresh_token=refreshed.refresh_token)
        ),
        HTTPStatus.NO_CONTENT,
    )
    expect(
        "refresh after logout",
        auth_refresh_create.sync_detailed(
            client=anonymous, body=RefreshTokenRequest(refresh_token=refreshed.refresh_token)
        ),
        HTTPStatus.UNAUTHORIZED,
        Error,
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} BASE_URL")
    try:
        run(sys.argv[1])
    except FlowError as failure:
        sys.exit(f"python client: FAIL  {failure}")
    print("python client: the whole flow passed")
