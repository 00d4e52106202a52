"""Races between real concurrent clients, over HTTP, against a live server.

The server is Django's LiveServerThread (what pytest-django's `live_server` runs), whose
ThreadedWSGIServer answers every request in a thread of its own, with a database connection of
its own: requests sent at the same moment really overlap. On PostgreSQL (CI's second run of the
suite) they race for the same rows as under gunicorn; on SQLite, whose IMMEDIATE transactions
take turns, they must give the same answers. Each test then checks the database itself, not
only the answers. The server here listens with a deeper backlog than Django's 10 connections,
past which a burst of 30 clients is reset by the kernel before Django sees it.

votes/tests/test_concurrency.py races likes through Django's test client in threads; these go
through the network and the server's own threads.
"""

import threading

import pytest
import requests
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db.models import Count, F, Q
from django.test.testcases import LiveServerThread

from accounts import hashers
from accounts.models import User
from accounts.services import token_pair_for
from accounts.tests.factories import UserFactory
from comments.models import Comment
from posts.models import Post
from posts.tests.factories import PostFactory
from relationships.models import Follow
from votes.models import Vote

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 30


class DeepBacklogServer(ThreadedWSGIServer):
    request_queue_size = 128


class ServerThread(LiveServerThread):
    server_class = DeepBacklogServer


@pytest.fixture(scope="module")
def race_server():
    """The URL of a live server for this module's bursts of concurrent clients."""
    thread = ServerThread("127.0.0.1", StaticFilesHandler, connections_override={})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture(autouse=True)
def hashes_never_busy(monkeypatch):
    """These bursts race for rows, not for CPU: every hash gets its turn here, however many
    arrive at once (accounts/tests/test_hashing.py and test_password_flood.py push past the
    bound itself)."""
    monkeypatch.setattr(hashers, "turns", hashers.Turns(slots=4, waiting=64, wait=TIMEOUT))


def bearer(user):
    return {"Authorization": f"Bearer {token_pair_for(user)['access_token']}"}


def at_once(calls):
    """Send each (method, url, keyword arguments) from a thread of its own, all released at the
    same moment; the responses, in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    responses, errors = [None] * len(calls), []

    def send(index, method, url, kwargs):
        try:
            barrier.wait(timeout=TIMEOUT)
            responses[index] = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        except Exception as error:  # re-raised in the test's thread below
            errors.append(error)

    threads = [
        threading.Thread(target=send, args=(index, *call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    if errors:
        raise errors[0]
    assert all(response is not None for response in responses), "a request never returned"
    return responses


def statuses(responses):
    return sorted(response.status_code for response in responses)


def assert_counters_exact():
    """Every post's like counter equals its likes, and no like is left without its post."""
    wrong = Post.objects.annotate(like_count=Count("likes")).exclude(votes=F("like_count"))
    assert list(wrong.values("id", "votes", "like_count")) == []
    assert not Vote.objects.exclude(post_id__in=Post.objects.values("id")).exists()


def test_the_same_like_thirty_times_at_once_counts_once(race_server):
    user, post = UserFactory(), PostFactory()
    like = {"json": {"post_id": post.id, "dir": 1}, "headers": bearer(user)}

    responses = at_once([("POST", f"{race_server}/api/v1/votes/", like)] * 30)

    assert statuses(responses) == [201] + [409] * 29
    assert [r.json()["votes"] for r in responses if r.status_code == 201] == [1]
    post.refresh_from_db()
    assert post.votes == 1
    assert list(Vote.objects.values_list("user_id", "post_id")) == [(user.id, post.id)]


def test_the_same_sign_up_twenty_times_at_once_creates_one_account(race_server, rates):
    rates(signup="1000/min")
    body = {"email": "Race@Example.com", "password": "a-long-passphrase"}

    responses = at_once([("POST", f"{race_server}/api/v1/users/", {"json": body})] * 20)

    assert statuses(responses) == [201] + [400] * 19
    for response in responses:
        if response.status_code == 400:
            assert list(response.json()) == ["email"]
    assert User.objects.filter(email="race@example.com").count() == 1
    assert User.objects.count() == 1


def test_sign_ups_deriving_the_same_handle_at_once_all_get_one(race_server, rates):
    """Twenty addresses with the same local part at once: twenty accounts, with the handles
    `ada`, `ada2`, ... `ada20` (`ada1` would pass for `adal`), each the smallest free one when
    it was taken."""
    rates(signup="1000/min")
    UserFactory(username="adal")
    calls = [
        (
            "POST",
            f"{race_server}/api/v1/users/",
            {"json": {"email": f"ada@host{n}.example", "password": "a-long-passphrase"}},
        )
        for n in range(20)
    ]

    responses = at_once(calls)

    assert [r.json() for r in responses if r.status_code != 201] == []
    handles = set(User.objects.values_list("username", flat=True))
    assert handles == {"adal", "ada", *(f"ada{n}" for n in range(2, 21))}


@pytest.mark.parametrize("round_number", range(3))
def test_likes_and_unlikes_racing_the_posts_deletion(race_server, round_number):
    """Six users like a post and six take their like back while its owner deletes it; the same
    users do the same to a post that stays. No 500, no like left behind, exact counters."""
    owner = UserFactory()
    doomed, kept = PostFactory(owner=owner), PostFactory()
    likers = UserFactory.create_batch(6)
    unlikers = UserFactory.create_batch(6)
    for user in unlikers:
        for post in (doomed, kept):
            Vote.objects.create(user=user, post=post)
    Post.objects.filter(pk__in=[doomed.pk, kept.pk]).update(votes=len(unlikers))
    votes = f"{race_server}/api/v1/votes/"
    calls = [("DELETE", f"{race_server}/api/v1/posts/{doomed.id}/", {"headers": bearer(owner)})]
    for users, direction in ((likers, 1), (unlikers, 0)):
        for user in users:
            for post in (doomed, kept):
                body = {"post_id": post.id, "dir": direction}
                calls.append(("POST", votes, {"json": body, "headers": bearer(user)}))

    responses = at_once(calls)

    deletion, answers = responses[0], responses[1:]
    assert deletion.status_code == 204
    assert {r.status_code for r in answers} <= {200, 201, 404}
    for response in answers:
        if response.status_code in (200, 201):
            assert response.json()["votes"] >= 0
    assert not Post.objects.filter(pk=doomed.pk).exists()
    assert not Vote.objects.filter(post_id=doomed.id).exists()
    kept.refresh_from_db()
    assert kept.votes == len(likers)
    assert set(Vote.objects.filter(post=kept).values_list("user_id", flat=True)) == {
        user.id for user in likers
    }
    assert_counters_exact()


def assert_comment_counts_exact():
    """Every post's comments_count equals its comments that are not hidden, and no comment is
    left without its post."""
    shown = Count("comments", filter=Q(comments__hidden=False))
    wrong = Post.objects.annotate(shown=shown).exclude(comments_count=F("shown"))
    assert list(wrong.values("id", "comments_count", "shown")) == []
    assert not Comment.objects.exclude(post_id__in=Post.objects.values("id")).exists()


@pytest.mark.parametrize("round_number", range(3))
def test_comments_written_and_deleted_on_one_post_at_once(race_server, round_number):
    """Ten users comment on a post while fifteen earlier comments are deleted, five of them by
    their author and the post's owner at the same moment: every comment written is counted,
    each comment deleted is deleted once (204, and 404 for the second deletion), no 500."""
    owner = UserFactory()
    post = PostFactory(owner=owner)
    earlier = [
        Comment.objects.create(post=post, author=UserFactory(), content="Earlier")
        for _ in range(15)
    ]
    Post.objects.filter(pk=post.pk).update(comments_count=len(earlier))
    writers = UserFactory.create_batch(10)
    write = f"{race_server}/api/v1/posts/{post.id}/comments/"
    calls = [("POST", write, {"json": {"content": "Now"}, "headers": bearer(u)}) for u in writers]
    for comment in earlier:
        calls.append(
            (
                "DELETE",
                f"{race_server}/api/v1/comments/{comment.id}/",
                {"headers": bearer(comment.author)},
            )
        )
    twice = earlier[:5]
    for comment in twice:
        url = f"{race_server}/api/v1/comments/{comment.id}/"
        calls.append(("DELETE", url, {"headers": bearer(owner)}))

    responses = at_once(calls)

    assert statuses(responses[: len(writers)]) == [201] * len(writers)
    assert statuses(responses[len(writers) :]) == [204] * len(earlier) + [404] * len(twice)
    post.refresh_from_db()
    assert post.comments_count == len(writers) == Comment.objects.filter(post=post).count()
    assert set(Comment.objects.values_list("author_id", flat=True)) == {u.id for u in writers}
    assert_comment_counts_exact()


@pytest.mark.parametrize("round_number", range(3))
def test_comments_racing_the_posts_deletion(race_server, round_number):
    """Users comment on a post, and delete their earlier comments, while its owner deletes it:
    each answer is 201, 204 or 404, never a 500, and no comment outlives its post."""
    owner = UserFactory()
    doomed, kept = PostFactory(owner=owner), PostFactory()
    authors = UserFactory.create_batch(6)
    earlier = [
        Comment.objects.create(post=post, author=author, content="Earlier")
        for author in authors
        for post in (doomed, kept)
    ]
    Post.objects.filter(pk__in=[doomed.pk, kept.pk]).update(comments_count=len(authors))
    calls = [("DELETE", f"{race_server}/api/v1/posts/{doomed.id}/", {"headers": bearer(owner)})]
    for author in authors:
        for post in (doomed, kept):
            body = {"json": {"content": "Now"}, "headers": bearer(author)}
            calls.append(("POST", f"{race_server}/api/v1/posts/{post.id}/comments/", body))
    for comment in earlier:
        url = f"{race_server}/api/v1/comments/{comment.id}/"
        calls.append(("DELETE", url, {"headers": bearer(comment.author)}))

    responses = at_once(calls)

    assert responses[0].status_code == 204
    assert {r.status_code for r in responses[1:]} <= {201, 204, 404}
    assert not Post.objects.filter(pk=doomed.pk).exists()
    kept.refresh_from_db()
    assert kept.comments_count == len(authors) == Comment.objects.filter(post=kept).count()
    assert_comment_counts_exact()


@pytest.mark.parametrize("round_number", range(5))
def test_two_patches_of_one_post_at_once(race_server, round_number):
    """Both are answered 200 and the post ends equal to one of them, never a mix; a like sent
    at the same moment is not lost to either write."""
    owner, fan = UserFactory(), UserFactory()
    post = PostFactory(owner=owner, title="Before", content="Before")
    url = f"{race_server}/api/v1/posts/{post.id}/"
    first = {"title": "First", "content": "First body", "published": True}
    second = {"title": "Second", "content": "Second body", "published": False}
    like = {"json": {"post_id": post.id, "dir": 1}, "headers": bearer(fan)}

    responses = at_once(
        [
            ("PATCH", url, {"json": first, "headers": bearer(owner)}),
            ("PATCH", url, {"json": second, "headers": bearer(owner)}),
            ("POST", f"{race_server}/api/v1/votes/", like),
        ]
    )

    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert responses[2].status_code in (201, 404)
    post.refresh_from_db()
    final = {"title": post.title, "content": post.content, "published": post.published}
    assert final in (first, second)
    assert post.owner_id == owner.id
    assert post.votes == Vote.objects.filter(post=post).count()
    assert_counters_exact()


@pytest.mark.parametrize("round_number", range(3))
def test_deleting_an_account_while_its_likes_are_taken_back(race_server, round_number):
    """The account's own withdrawals race its deletion: each like is taken off its post's count
    once, whichever comes first; no 500, no count one too low."""
    fan, others = UserFactory(), UserFactory.create_batch(2)
    liked = [PostFactory(owner=others[n % 2]) for n in range(6)]
    for post in liked:
        Vote.objects.create(user=fan, post=post)
        Vote.objects.create(user=others[0], post=post)
    Post.objects.filter(pk__in=[post.pk for post in liked]).update(votes=2)
    headers = bearer(fan)
    calls = [("DELETE", f"{race_server}/api/v1/users/me/", {"headers": headers})]
    for post in liked:
        body = {"post_id": post.id, "dir": 0}
        calls.append(("POST", f"{race_server}/api/v1/votes/", {"json": body, "headers": headers}))

    responses = at_once(calls)

    assert responses[0].status_code == 204
    assert {r.status_code for r in responses[1:]} <= {200, 401, 404}
    assert not User.objects.filter(pk=fan.pk).exists()
    assert (
        sorted(Post.objects.filter(pk__in=[p.pk for p in liked]).values_list("votes", flat=True))
        == [1] * 6
    )
    assert_counters_exact()


@pytest.mark.parametrize("round_number", range(3))
def test_deleting_an_account_while_it_comments(race_server, round_number):
    """The account comments again, on posts it commented on before, as it is deleted: the
    deletion goes through, each comment is written first (and goes with the account) or finds
    no one (401), no answer is a 503 from two transactions waiting for each other, and every
    count is exact."""
    fan, other = UserFactory(), UserFactory()
    posts = [PostFactory(owner=other) for _ in range(6)]
    for post in posts:
        Comment.objects.create(post=post, author=fan, content="Before")
        Comment.objects.create(post=post, author=other, content="Other")
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(comments_count=2)
    headers = bearer(fan)
    calls = [("DELETE", f"{race_server}/api/v1/users/me/", {"headers": headers})]
    for post in posts:
        body = {"json": {"content": "Again"}, "headers": headers}
        calls.append(("POST", f"{race_server}/api/v1/posts/{post.id}/comments/", body))

    responses = at_once(calls)

    assert responses[0].status_code == 204
    assert {r.status_code for r in responses[1:]} <= {201, 401}
    assert not User.objects.filter(pk=fan.pk).exists()
    assert (
        sorted(
            Post.objects.filter(pk__in=[p.pk for p in posts]).values_list(
                "comments_count", flat=True
            )
        )
        == [1] * 6
    )
    assert_comment_counts_exact()


@pytest.mark.parametrize("round_number", range(5))
def test_editing_a_post_while_it_is_deleted(race_server, round_number):
    """An edit that loses the race to the deletion is a 404, never a 500."""
    owner = UserFactory()
    post = PostFactory(owner=owner)
    url = f"{race_server}/api/v1/posts/{post.id}/"
    edit = {"json": {"title": "Edited"}, "headers": bearer(owner)}

    responses = at_once([("DELETE", url, {"headers": bearer(owner)})] + [("PATCH", url, edit)] * 4)

    assert responses[0].status_code == 204
    assert {r.status_code for r in responses[1:]} <= {200, 404}
    assert not Post.objects.filter(pk=post.pk).exists()


def test_forty_guesses_at_one_account_at_once_from_forty_addresses(
    race_server, rates, settings, monkeypatch
):
    """The per-account login limit holds under a concurrent burst, whichever of its handle and
    email each guess names and whatever address it comes from: exactly five passwords are
    checked. Each identifier gets its own five answers before its 429s; the account's guesses
    past five are refused unchecked, with the same 401."""
    checked = []
    verify = hashers.MD5PasswordHasher.verify
    monkeypatch.setattr(
        hashers.MD5PasswordHasher,
        "verify",
        lambda self, password, encoded: checked.append(1) or verify(self, password, encoded),
    )
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    rates(login_account="5/min", login_ip="1000/min")
    UserFactory(username="target", email="target@example.com")
    calls = [
        (
            "POST",
            f"{race_server}/api/v1/auth/login/",
            {
                "json": {"username": ["target", "TARGET@example.com"][n % 2], "password": "guess"},
                "headers": {"X-Forwarded-For": f"198.51.100.{n}"},
            },
        )
        for n in range(40)
    ]

    answers = statuses(at_once(calls))

    assert answers == [401] * 10 + [429] * 30
    assert len(checked) == 5


def test_forty_guesses_from_one_address_at_once_at_forty_accounts(race_server, rates):
    rates(login_account="1000/min", login_ip="20/min")
    calls = [
        (
            "POST",
            f"{race_server}/api/v1/auth/login/",
            {"json": {"username": f"someone{n}@example.com", "password": "guess"}},
        )
        for n in range(40)
    ]

    answers = statuses(at_once(calls))

    assert answers == [401] * 20 + [429] * 20


def test_ten_refreshes_of_one_token_at_once_keep_the_login(race_server):
    """Tabs refreshing with the same token at the same moment: each gets a pair of the same
    login, none ends it, and each new refresh token works."""
    user = UserFactory()
    pair = token_pair_for(user)
    body = {"refresh_token": pair["refresh_token"]}

    answers = at_once([("POST", f"{race_server}/api/v1/auth/refresh/", {"json": body})] * 10)

    assert statuses(answers) == [200] * 10
    new_pairs = [answer.json() for answer in answers]
    assert len({new["refresh_token"] for new in new_pairs}) == 10
    for new in new_pairs:
        me = requests.get(
            f"{race_server}/api/v1/users/me/",
            headers={"Authorization": f"Bearer {new['access_token']}"},
            timeout=TIMEOUT,
        )
        assert me.status_code == 200


def assert_follow_counts_exact():
    """Every user's follow counts equal their follows, both ways."""
    follows = list(Follow.objects.values_list("follower_id", "followee_id"))
    expected = {
        pk: (
            sum(followee == pk for _, followee in follows),
            sum(follower == pk for follower, _ in follows),
        )
        for pk in User.objects.values_list("pk", flat=True)
    }
    counted = {
        pk: (followers, following)
        for pk, followers, following in User.objects.values_list(
            "pk", "followers_count", "following_count"
        )
    }
    assert counted == expected


def test_the_same_follow_fifty_times_at_once_is_one_follow(race_server):
    fan, star = UserFactory(), UserFactory()
    url = f"{race_server}/api/v1/users/{star.pk}/follow/"

    responses = at_once([("POST", url, {"headers": bearer(fan)})] * 50)

    assert statuses(responses) == [201] + [409] * 49
    assert Follow.objects.filter(follower=fan, followee=star).count() == 1
    assert_follow_counts_exact()


@pytest.mark.parametrize("round_number", range(3))
def test_follows_unfollows_blocks_and_a_deletion_at_once_keep_counts_exact(
    race_server, round_number
):
    """Ten users follow and unfollow one another while one of them blocks another and a third
    deletes their account: whatever order the database takes them in, the counts equal the
    follows that remain, and no follow crosses a block."""
    users = [UserFactory() for _ in range(10)]
    doomed, blocker, blocked = users[0], users[1], users[2]
    calls = [("DELETE", f"{race_server}/api/v1/users/me/", {"headers": bearer(doomed)})]
    calls.append(
        ("POST", f"{race_server}/api/v1/users/{blocked.pk}/block/", {"headers": bearer(blocker)})
    )
    for follower in users:
        for followee in users[:5]:
            if follower != followee:
                url = f"{race_server}/api/v1/users/{followee.pk}/follow/"
                calls.append(("POST", url, {"headers": bearer(follower)}))
                if follower.pk % 2:
                    calls.append(("DELETE", url, {"headers": bearer(follower)}))

    responses = at_once(calls)

    assert {r.status_code for r in responses} <= {200, 201, 204, 401, 403, 404, 409}
    assert not User.objects.filter(pk=doomed.pk).exists()
    assert not Follow.objects.filter(
        Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
    ).exists()
    assert_follow_counts_exact()
