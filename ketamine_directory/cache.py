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
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

# Seconds to serve without the cache after Redis fails to answer.
PAUSE = 5.0


class ForgivingRedisCacheClient(RedisCacheClient):
    # Shared by every thread's client in this process.
    paused_until = 0.0

    def _try(self, call, fallback, *args):
        if time.monotonic() < ForgivingRedisCacheClient.paused_until:
            return fallback
        try:
            return call(*args)
        except (ConnectionError, TimeoutError) as error:
            ForgivingRedisCacheClient.paused_until = time.monotonic() + PAUSE
            logger.warning("Redis unavailable, serving without the cache: %s", error)
            return fallback

    def add(self, key, value, timeout):
        return self._try(super().add, False, key, value, timeout)

    def get(self, key, default):
        return self._try(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._try(super().set, None, key, value, timeout)

    def touch(self, key, timeout):
        return self._try(super().touch, False, key, timeout)

    def delete(self, key):
        return self._try(super().delete, False, key)

    def get_many(self, keys):
        return self._try(super().get_many, {}, keys)

    def has_key(self, key):
        return self._try(super().has_key, False, key)

    def set_many(self, data, timeout):
        return self._try(super().set_many, None, data, timeout)

    def delete_many(self, keys):
        return self._try(super().delete_many, None, keys)

    def clear(self):
        return self._try(super().clear, False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
