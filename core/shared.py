"""What the processes of every server share, through Redis (`REDIS_URL`): throttle counters and
the state of tokens.

Agora owns its Redis client (redis-py): each thread keeps one connection and sends each command
or script on it in one round trip, without a pool to lock or a retry to wrap (redis-py's
`Redis.execute_command` cost about twice as much CPU per call). While Redis cannot be reached, a
call raises `Unreachable` at once for `_Breaker.RETRY_SECONDS`, and each caller carries on
alone: throttles count in the process (`Counters`), token states are read from the database
(accounts.tokens). Once Redis answers again, sharing resumes by itself.
"""

import contextlib
import hashlib
import logging
import math
import threading
import time
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("agora.redis")

# Every key Agora writes in Redis starts with this.
KEY_PREFIX = "agora:"
# An unreachable Redis costs a call at most this long before the fallback.
SOCKET_TIMEOUT_SECONDS = 0.5


def digest(value: str) -> str:
    """A short, fixed-size stand-in for `value` in a key: whatever a client sent, the key stays
    short, and the client's text never reaches a cache."""
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


class Unreachable(Exception):
    """Redis is not configured, or cannot be reached just now: carry on without it."""


class Script:
    """A Lua script, run by its SHA1 once Redis knows it (EVALSHA), sent whole the first time."""

    def __init__(self, source: str):
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()  # noqa: S324 (Redis names scripts so)


class _Breaker:
    """Whether Redis is to be left alone for now, and when its failure was last logged."""

    RETRY_SECONDS = 2
    LOG_INTERVAL_SECONDS = 60

    def __init__(self) -> None:
        self.down_until = 0.0
        self.probed_at = -math.inf
        self._logged_at = -math.inf
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.down_until = now + self.RETRY_SECONDS
            should_log = now - self._logged_at >= self.LOG_INTERVAL_SECONDS
            if should_log:
                self._logged_at = now
        if should_log:
            logger.error("Redis unreachable, each process carries on alone meanwhile: %s", exc)

    def succeeded(self) -> None:
        if not self.down_until:
            return
        with self._lock:
            was_down, self.down_until = self.down_until, 0.0
            self._logged_at = -math.inf
        if was_down:
            logger.warning("Redis reachable again: counters and token states are shared again.")


class SharedRedis:
    """One Redis server, as every thread of this process reaches it."""

    FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
    # /health/ pings at most this often per process: load balancers may ask it many times a
    # second, and every other call tells the breaker of a failure anyway.
    PROBE_SECONDS = 5

    def __init__(self, url: str):
        pool = redis.ConnectionPool.from_url(
            url,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        # The pool only says how to connect; each thread keeps a connection of its own.
        self._connection_class, self._connection_kwargs = (
            pool.connection_class,
            pool.connection_kwargs,
        )
        self._local = threading.local()
        self.breaker = _Breaker()

    def _connection(self) -> redis.Connection:
        connection: redis.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connection_class(**self._connection_kwargs)
        return connection

    def execute(self, *command: str | int | bytes) -> Any:
        """Send one command and read its answer; Unreachable while Redis cannot be reached."""
        if self.breaker.is_open():
            raise Unreachable
        connection = self._connection()
        try:
            connection.send_command(*command)
            answer = connection.read_response()
        except self.FAILURES as exc:
            connection.disconnect()
            self.breaker.failed(exc)
            raise Unreachable from exc
        self.breaker.succeeded()
        return answer

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        """The values of `keys` (each prefixed with KEY_PREFIX), in one round trip."""
        values: list[bytes | None] = self.execute("MGET", *(KEY_PREFIX + key for key in keys))
        return values

    def run(self, script: Script, keys: list[str], args: list[str | int]) -> Any:
        """Run `script` on `keys` (each prefixed with KEY_PREFIX) in one round trip."""
        keys = [KEY_PREFIX + key for key in keys]
        try:
            return self.execute("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            return self.execute("EVAL", script.source, len(keys), *keys, *args)

    def status(self) -> str:
        """ "ok", or "degraded" while Redis cannot be reached (pinged at most every
        PROBE_SECONDS)."""
        now = time.monotonic()
        if now - self.breaker.probed_at >= self.PROBE_SECONDS:
            self.breaker.probed_at = now
            self.breaker.down_until = 0.0  # a probe is always sent
            with contextlib.suppress(Unreachable):
                self.execute("PING")
        return "degraded" if self.breaker.is_open() else "ok"


class _Windows:
    """Fixed windows counted in this process, at most `max_entries` of them at once."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._windows: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                if len(self._windows) >= self.max_entries:
                    self._cull(now)
                window = self._windows[key] = [now + seconds, 0]
            window[1] += 1
            return int(window[1]), max(1, math.ceil(window[0] - now))

    def _cull(self, now: float) -> None:
        self._windows = {key: w for key, w in self._windows.items() if w[0] > now}
        if len(self._windows) >= self.max_entries:
            # Still full of open windows: forget the older half.
            self._windows = dict(list(self._windows.items())[len(self._windows) // 2 :])

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


# A hit in each of several fixed windows, in one round trip: for each key (its window's length
# in seconds the argument of the same rank), the count so far and the seconds left in the
# window. A key left without an expiry (by anything but this script) gets one, rather than
# counting for ever.
_INCR_WINDOWS = Script(
    """
local counted = {}
for i, key in ipairs(KEYS) do
    local hits = redis.call('INCR', key)
    local ttl = redis.call('TTL', key)
    if ttl < 0 then
        redis.call('EXPIRE', key, ARGV[i])
        ttl = tonumber(ARGV[i])
    end
    counted[2 * i - 1] = hits
    counted[2 * i] = ttl
end
return counted
"""
)


class Counters:
    """Fixed-window counters: in Redis, shared by every process, or in this process without
    Redis and while it cannot be reached."""

    # Windows a process keeps on its own at most (each a few dozen bytes).
    MAX_LOCAL_WINDOWS = 50_000

    def __init__(self, shared: SharedRedis | None):
        self.shared = shared
        self._local = _Windows(self.MAX_LOCAL_WINDOWS)

    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        """Count a hit in `key`'s window of `seconds`, opened by its first hit: the hits in the
        window so far, and the seconds until it closes."""
        return self.hit_many([(key, seconds)])[0]

    def hit_many(self, windows: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """`hit` for each (key, seconds), in one round trip to Redis."""
        if self.shared is not None:
            try:
                counted = self.shared.run(
                    _INCR_WINDOWS,
                    [key for key, _ in windows],
                    [seconds for _, seconds in windows],
                )
                return [(counted[i], max(1, counted[i + 1])) for i in range(0, len(counted), 2)]
            except Unreachable:
                pass
        return [self._local.hit(key, seconds) for key, seconds in windows]


_instances: dict[str, tuple[SharedRedis | None, Counters]] = {}
_instances_lock = threading.Lock()


def _for_this_process() -> tuple[SharedRedis | None, Counters]:
    url = settings.REDIS_URL
    instance = _instances.get(url)
    if instance is None:
        with _instances_lock:
            instance = _instances.get(url)
            if instance is None:
                shared = SharedRedis(url) if url else None
                instance = _instances[url] = (shared, Counters(shared))
    return instance


def shared_redis() -> SharedRedis | None:
    """This process's Redis client, or None without REDIS_URL."""
    return _for_this_process()[0]


def counters() -> Counters:
    """This process's throttle counters."""
    return _for_this_process()[1]


def remember(key: str, seconds: int) -> None:
    """Set a mark that lasts `seconds`, seen by every process (by this one alone without Redis,
    or while it cannot be reached)."""
    shared = shared_redis()
    if shared is not None:
        try:
            shared.execute("SET", KEY_PREFIX + key, 1, "EX", seconds)
            return
        except Unreachable:
            pass
    caches["default"].set(key, 1, seconds)


def remembered(key: str) -> bool:
    """Whether a mark set by `remember` still lasts."""
    shared = shared_redis()
    if shared is not None:
        try:
            return bool(shared.execute("EXISTS", KEY_PREFIX + key))
        except Unreachable:
            pass
    return caches["default"].get(key) is not None


def status() -> str:
    """What /health/ says of Redis: "ok", "degraded" (unreachable: each process carries on
    alone) or "local" (not configured: each process counts on its own)."""
    shared = shared_redis()
    return "local" if shared is None else shared.status()


def clear() -> None:
    """Forget every counter and every shared state (the test suite, between tests)."""
    shared, local_counters = _for_this_process()
    local_counters._local.clear()
    if shared is not None:
        shared.breaker.down_until = 0.0
        shared.execute("FLUSHDB")
