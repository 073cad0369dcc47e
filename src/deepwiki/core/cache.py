"""A Redis cache that degrades to 'no cache' instead of failing requests."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("deepwiki.cache")
_RETRY_AFTER = 5.0
_WRITES = {"set", "add", "delete", "set_many", "delete_many", "incr", "touch", "clear"}


class TolerantRedisCache(RedisCache):
    """RedisCache whose failures become misses; requests go on uncached.

    After a failure the cache stays quiet for a few seconds so a dead Redis
    does not add its connect timeout to every request.
    """

    _down_until = 0.0
    # A write (a generation bump, a delete) that never reached Redis would let
    # stale entries come back with it: renew every generation once it answers.
    _lost_writes = False

    def _guard(self, name, default, *args, **kwargs):
        if time.monotonic() < TolerantRedisCache._down_until:
            TolerantRedisCache._lost_writes |= name in _WRITES
            return default
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except Exception as exc:  # redis.exceptions.* and socket errors
            TolerantRedisCache._down_until = time.monotonic() + _RETRY_AFTER
            TolerantRedisCache._lost_writes |= name in _WRITES
            log.warning("cache unavailable: %s", exc.__class__.__name__)
            return default
        if TolerantRedisCache._lost_writes:
            self._renew_generations()
        return result

    def _renew_generations(self) -> None:
        from deepwiki.core.generation import GENERATIONS, generation_key

        TolerantRedisCache._lost_writes = False
        for name in GENERATIONS:
            self.set(generation_key(name), time.time_ns(), None)
        log.warning("cache back after lost writes: cached entries renewed")

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def set(self, *args, **kwargs):
        return self._guard("set", None, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard("add", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guard("get_many", {}, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard("set_many", [], *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", None, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", None, key, delta, version)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, *args, **kwargs)

    def clear(self):
        return self._guard("clear", None)

    def ping(self) -> bool:
        """Ask Redis directly (bypassing the quiet period); used by health checks."""
        client = self._cache.get_client(None, write=False)
        return bool(client.ping())
