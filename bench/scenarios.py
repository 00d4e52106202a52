"""The benchmark's scenarios: what each one requests, shared by the load run and the query count."""

from dataclasses import dataclass

POSTS = "/api/v1/posts/"
HOME = "/api/v1/posts/home/"
USERS = "/api/v1/users/"
VOTES = "/api/v1/votes/"
LOGIN = "/api/v1/auth/login/"

# Chosen on the seeded data (--seed 42): the pair hits 8 published posts at full size, the word
# about 10,000; each run records the `count` the API answered, so a change of data shows.
SEARCH_FEW = "wombat coffee"
SEARCH_MANY = "music"
DEEP_OFFSET = 100_000
# The page of a cursor-paged list that a deep scenario asks for: each virtual user follows the
# `next` links from the first page to this one before the load, so its cursor is the API's own.
DEEP_PAGE = 51
# The main feed's pages by cursor hold as many posts as its pages by offset (10 by default).
CURSOR_LIMIT = 10


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    path: str = POSTS
    # get, like (like, then unlike), follow (follow, then unfollow), comment (write one, again
    # and again) or login; see bench/wrk.lua
    kind: str = "get"
    auth: bool = False
    # get only: each thread cycles through many paths instead of requesting one: those of
    # published posts ("posts"), of users' profiles ("profiles") or of the comments of posts
    # with a page of them at least ("comments").
    cycle: str = ""
    # Which virtual users drive it (bench/load.py): all of them, or only those who follow 2,000
    # users ("heavy") or about 20 ("light").
    users: str = "all"
    # get only: each virtual user asks for its own page DEEP_PAGE of `path`.
    deep: bool = False
    # get only: the main feed by cursor from this row on (counted from 0, in the cursor's
    # default order), with a cursor made as the server makes it (bench/cursors.py).
    cursor_at: int | None = None
    # get only: send If-None-Match with the ETag each path answered the same caller before the
    # load; every answer but 304 is an error.
    revalidate: bool = False


HEALTH = Scenario("health", "/health/ (ceiling)", path="/health/")
FEED_ANON = Scenario("feed_anon", "feed, first page, anonymous")
FEED_AUTH = Scenario("feed_auth", "feed, first page, signed in", auth=True)
CURSOR_FIRST = f"{POSTS}?cursor=first&limit={CURSOR_LIMIT}"

SCENARIOS = [
    HEALTH,
    FEED_ANON,
    Scenario("feed_anon_304", "feed, first page, anonymous, 304", revalidate=True),
    FEED_AUTH,
    Scenario("feed_auth_304", "feed, first page, signed in, 304", auth=True, revalidate=True),
    Scenario("feed_deep", f"feed at offset={DEEP_OFFSET}", path=f"{POSTS}?offset={DEEP_OFFSET}"),
    Scenario(
        "feed_deep_auth",
        f"feed at offset={DEEP_OFFSET}, signed in",
        path=f"{POSTS}?offset={DEEP_OFFSET}",
        auth=True,
    ),
    Scenario("feed_cursor_first", "feed by cursor, first page", path=CURSOR_FIRST),
    Scenario(
        "feed_cursor_deep",
        f"feed by cursor, the page at offset={DEEP_OFFSET}",
        path=CURSOR_FIRST,
        cursor_at=DEEP_OFFSET,
    ),
    Scenario("feed_top", "feed, ordering=-votes", path=f"{POSTS}?ordering=-votes"),
    Scenario(
        "search_few",
        f"search {SEARCH_FEW!r}",
        path=f"{POSTS}?search={SEARCH_FEW.replace(' ', '%20')}",
    ),
    Scenario("search_many", f"search {SEARCH_MANY!r}", path=f"{POSTS}?search={SEARCH_MANY}"),
    Scenario("post_detail", "single post", cycle="posts"),
    Scenario("post_detail_304", "single post, 304", cycle="posts", revalidate=True),
    Scenario("like_unlike", "like, then unlike", path=VOTES, kind="like", auth=True),
    Scenario("login", "login", path=LOGIN, kind="login"),
    Scenario(
        "home_light", "home feed, first page, following ~20", path=HOME, auth=True, users="light"
    ),
    Scenario(
        "home_light_deep",
        f"home feed, page {DEEP_PAGE}, following ~20",
        path=HOME,
        auth=True,
        users="light",
        deep=True,
    ),
    Scenario(
        "home_heavy",
        "home feed, first page, following 2,000",
        path=HOME,
        auth=True,
        users="heavy",
    ),
    Scenario(
        "home_heavy_deep",
        f"home feed, page {DEEP_PAGE}, following 2,000",
        path=HOME,
        auth=True,
        users="heavy",
        deep=True,
    ),
    Scenario("profile", "profile, signed in", path=USERS, auth=True, cycle="profiles"),
    Scenario("follow_unfollow", "follow, then unfollow", path=USERS, kind="follow", auth=True),
    Scenario("comments", "a post's comments, first page, signed in", auth=True, cycle="comments"),
    Scenario("comment_create", "comment on a post", kind="comment", auth=True),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
# Run at one tenth of the size too, to see how the first page grows with the tables.
GROWTH = [FEED_ANON, FEED_AUTH]


def detail_path(post_id):
    return f"{POSTS}{post_id}/"


def profile_path(user_id):
    return f"{USERS}{user_id}/"


def follow_path(user_id):
    return f"{USERS}{user_id}/follow/"


def comments_path(post_id):
    return f"{POSTS}{post_id}/comments/"
