"""The benchmark's scenarios: what each one requests, shared by the load run and the query count."""

from dataclasses import dataclass

POSTS = "/api/v1/posts/"
VOTES = "/api/v1/votes/"
LOGIN = "/api/v1/auth/login/"

# Chosen on the seeded data (--seed 42): the pair hits 8 published posts at full size, the word
# about 10,000; each run records the `count` the API answered, so a change of data shows.
SEARCH_FEW = "wombat coffee"
SEARCH_MANY = "music"
DEEP_OFFSET = 100_000


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    path: str = POSTS
    kind: str = "get"  # get, like (like then unlike) or login; see bench/wrk.lua
    auth: bool = False
    # get only: cycle through many post ids instead of requesting one path.
    post_detail: bool = False


HEALTH = Scenario("health", "/health/ (ceiling)", path="/health/")
FEED_ANON = Scenario("feed_anon", "feed, first page, anonymous")
FEED_AUTH = Scenario("feed_auth", "feed, first page, signed in", auth=True)

SCENARIOS = [
    HEALTH,
    FEED_ANON,
    FEED_AUTH,
    Scenario("feed_deep", f"feed at offset={DEEP_OFFSET}", path=f"{POSTS}?offset={DEEP_OFFSET}"),
    Scenario(
        "feed_deep_auth",
        f"feed at offset={DEEP_OFFSET}, signed in",
        path=f"{POSTS}?offset={DEEP_OFFSET}",
        auth=True,
    ),
    Scenario("feed_top", "feed, ordering=-votes", path=f"{POSTS}?ordering=-votes"),
    Scenario(
        "search_few",
        f"search {SEARCH_FEW!r}",
        path=f"{POSTS}?search={SEARCH_FEW.replace(' ', '%20')}",
    ),
    Scenario("search_many", f"search {SEARCH_MANY!r}", path=f"{POSTS}?search={SEARCH_MANY}"),
    Scenario("post_detail", "single post", post_detail=True),
    Scenario("like_unlike", "like, then unlike", path=VOTES, kind="like", auth=True),
    Scenario("login", "login", path=LOGIN, kind="login"),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
# Run at one tenth of the size too, to see how the first page grows with the tables.
GROWTH = [FEED_ANON, FEED_AUTH]


def detail_path(post_id):
    return f"{POSTS}{post_id}/"
