"""
Django's own RedisCache, made to treat an unreachable Redis as an empty cache.

The cache only makes pages faster, so losing Redis should make the site
slower, not break it: while Redis is unreachable every read misses and every
write is dropped. After a failure Redis is left alone for a few seconds, so
that requests do not each wait for a connection that will not come. /healthz
still reports the cache as unavailable.

A save made while Redis is down cannot clear what Redis holds; those entries
expire on their own (pages after 5 minutes, the directory's figures after an
hour).

The rate limits' counts (the "limits" alias, RedisCountsCache) are not
dropped: while their Redis is unreachable each process counts in its own
memory, as it does with no Redis at all, so a limit is looser for a while
rather than gone for whoever guesses passwords during the outage.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

# Seconds to serve without the cache after Redis fails to answer.
PAUSE = 5.0


class ForgivingRedisCacheClient(RedisCacheClient):
    # Per Redis server (the pages' and the counts' may be two), shared by
    # every thread's client in this process: {servers: monotonic time}.
    paused_until = {}

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._servers = tuple(servers)

    def _try(self, name, fallback, *args):
        """RedisCacheClient's method `name`, or without_redis() if Redis fails or is paused."""
        if time.monotonic() < self.paused_until.get(self._servers, 0.0):
            return self.without_redis(name, fallback, *args)
        try:
            return getattr(super(), name)(*args)
        except (ConnectionError, TimeoutError) as error:
            self.paused_until[self._servers] = time.monotonic() + PAUSE
            logger.warning("Redis unavailable, serving without the cache: %s", error)
            return self.without_redis(name, fallback, *args)

    def without_redis(self, name, fallback, *args):
        return fallback

    def add(self, key, value, timeout):
        return self._try("add", False, key, value, timeout)

    def get(self, key, default):
        return self._try("get", default, key, default)

    def set(self, key, value, timeout):
        return self._try("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._try("touch", False, key, timeout)

    def delete(self, key):
        return self._try("delete", False, key)

    def get_many(self, keys):
        return self._try("get_many", {}, keys)

    def has_key(self, key):
        return self._try("has_key", False, key)

    def set_many(self, data, timeout):
        return self._try("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._try("delete_many", None, keys)

    def clear(self):
        return self._try("clear", False)


class LocallyCountingRedisCacheClient(ForgivingRedisCacheClient):
    """Without Redis, the same calls on a local-memory cache of this process."""

    # The keys come made (prefix and version) by the RedisCache; the
    # local cache's own prefix on top of them changes nothing.
    local = LocMemCache("counts-without-redis", {"OPTIONS": {"MAX_ENTRIES": 100_000}})

    def without_redis(self, name, fallback, *args):
        return getattr(self.local, name)(*args)

    def incr(self, key, delta):
        # A missing key raises ValueError from either, as count_one expects.
        return self._try("incr", None, key, delta)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient


class RedisCountsCache(DjangoRedisCache):
    """For the rate limits' counts (settings.CACHES["limits"])."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = LocallyCountingRedisCacheClient
