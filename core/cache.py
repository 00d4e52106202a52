"""Cache backends that also count: throttles add a hit to a fixed window in one atomic step.

`LocalCache` keeps everything in the process (`make run`, the tests without Redis).
`ResilientRedisCache` shares everything through Redis and, while Redis cannot be reached, carries
on in the process: counting goes on per process instead of failing every request, and the shared
counting resumes by itself once Redis answers again.
"""

import hashlib
import logging
import math
import threading
import time
from functools import partial

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("agora.cache")


def digest(value):
    """A short, fixed-size stand-in for `value` in a cache key: whatever a client sent, the key
    stays short, and the client's text never reaches the cache."""
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


class _Windows:
    """Fixed windows counted in this process, at most `max_entries` of them at once."""

    def __init__(self, max_entries):
        self.max_entries = max_entries
        self._windows = {}
        self._lock = threading.Lock()

    def hit(self, key, seconds):
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                if len(self._windows) >= self.max_entries:
                    self._cull(now)
                window = self._windows[key] = [now + seconds, 0]
            window[1] += 1
            return window[1], max(1, math.ceil(window[0] - now))

    def _cull(self, now):
        self._windows = {key: w for key, w in self._windows.items() if w[0] > now}
        if len(self._windows) >= self.max_entries:
            # Still full of open windows: forget the older half, as LocMemCache culls.
            self._windows = dict(list(self._windows.items())[len(self._windows) // 2 :])

    def clear(self):
        with self._lock:
            self._windows.clear()


class _Breaker:
    """Whether Redis is to be left alone for now, and when its failure was last logged."""

    RETRY_SECONDS = 2
    LOG_INTERVAL_SECONDS = 60

    def __init__(self, server):
        self.server = server
        self.down_until = 0.0
        self.probed_at = -math.inf
        self._logged_at = -math.inf
        self._lock = threading.Lock()

    def is_open(self):
        return time.monotonic() < self.down_until

    def failed(self, exc):
        now = time.monotonic()
        with self._lock:
            self.down_until = now + self.RETRY_SECONDS
            should_log = now - self._logged_at >= self.LOG_INTERVAL_SECONDS
            if should_log:
                self._logged_at = now
        if should_log:
            logger.error("Redis unreachable, counting in this process meanwhile: %s", exc)

    def succeeded(self):
        if not self.down_until:
            return
        with self._lock:
            was_down, self.down_until = self.down_until, 0.0
            self._logged_at = -math.inf
        if was_down:
            logger.warning("Redis reachable again: counters are shared again.")


# Django makes a cache object per thread; what must be one per process is kept here, by name.
_windows = {}
_breakers = {}
_registry_lock = threading.Lock()


def _per_process(registry, name, factory):
    with _registry_lock:
        if name not in registry:
            registry[name] = factory()
        return registry[name]


class LocalCache(LocMemCache):
    """Django's per-process memory cache, with fixed-window counters."""

    def __init__(self, name, params):
        super().__init__(name, params)
        max_counters = params.get("OPTIONS", {}).get("MAX_COUNTERS", 50_000)
        self._counters = _per_process(_windows, name, lambda: _Windows(max_counters))

    def incr_window(self, key, seconds):
        """Count a hit in `key`'s window of `seconds`, opened by its first hit: returns the hits
        in the window so far and the seconds until it closes."""
        return self._counters.hit(self.make_and_validate_key(key), seconds)

    def clear(self):
        super().clear()
        self._counters.clear()

    def status(self):
        """What /health/ says of the cache: counters are per process by configuration."""
        return "local"


class _RedisClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool instead of making
    a new one for every operation, which showed in the profile of every request."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


# A hit in a fixed window, in one command: the count so far and the seconds left in the window.
# A key left without an expiry (by anything but this script) gets one, rather than counting
# for ever.
_INCR_WINDOW = """
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that falls back on a `LocalCache` while Redis is unreachable.

    After a failure Redis is left alone for a moment (requests do not each wait for a connection
    timeout), then tried again by the next operation. The failure is logged once a minute at
    most, the recovery once.
    """

    FAILURES = (RedisConnectionError, RedisTimeoutError)
    PROBE_SECONDS = 5

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisClient
        self._local = LocalCache(f"{server}-fallback", {"KEY_PREFIX": self.key_prefix})
        self._breaker = _per_process(_breakers, server, lambda: _Breaker(server))

    def _call(self, shared, local, *args, **kwargs):
        """`shared(*args)` through Redis, or `local(*args)` while Redis is unreachable."""
        if self._breaker.is_open():
            return local(*args, **kwargs)
        try:
            result = shared(*args, **kwargs)
        except self.FAILURES as exc:
            self._breaker.failed(exc)
            return local(*args, **kwargs)
        self._breaker.succeeded()
        return result

    def _incr_window(self, key, seconds):
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        script = self.__dict__.get("_incr_script")
        if script is None:
            script = self._incr_script = client.register_script(_INCR_WINDOW)
        hits, ttl = script(keys=[key], args=[seconds], client=client)
        return hits, max(1, ttl)

    def incr_window(self, key, seconds):
        """As LocalCache.incr_window, in one round trip to Redis."""
        return self._call(self._incr_window, self._local.incr_window, key, seconds)

    def status(self):
        """What /health/ says of the cache: "ok", or "degraded" while Redis is unreachable.

        Redis is pinged at most once per PROBE_SECONDS per process: /health/ may be asked often
        (load balancers, the benchmark's ceiling), and the requests in between tell the breaker
        of any failure anyway.
        """
        now = time.monotonic()
        if now - self._breaker.probed_at >= self.PROBE_SECONDS:
            self._breaker.probed_at = now
            try:
                self._cache.get_client(write=True).ping()
            except self.FAILURES as exc:
                self._breaker.failed(exc)
            else:
                self._breaker.succeeded()
        return "degraded" if self._breaker.is_open() else "ok"


def _resilient(name):
    shared = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        return self._call(partial(shared, self), getattr(self._local, name), *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or the local fallback while Redis is unreachable."
    return method


# Every operation that reaches Redis; the rest of BaseCache's API is built on these.
for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(ResilientRedisCache, _name, _resilient(_name))
