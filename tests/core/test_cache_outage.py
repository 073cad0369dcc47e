"""A Redis outage cannot bring stale cached entries back with Redis."""

import os
import uuid

import pytest
from conftest import missing_service

from deepwiki.core.cache import TolerantRedisCache
from deepwiki.core.generation import KEY


@pytest.fixture
def redis_url():
    pytest.importorskip("redis")
    url = (
        os.environ.get("DEEPWIKI_TEST_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379"
    )
    probe = TolerantRedisCache(url, {})
    try:
        probe.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        missing_service(f"Redis not reachable at {url}: {exc}")
    return url


def _cache(url: str, prefix: str) -> TolerantRedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return TolerantRedisCache(url, {"KEY_PREFIX": prefix, "OPTIONS": options})


def test_generation_bump_lost_in_an_outage_is_renewed_when_redis_returns(
    redis_url, monkeypatch
):
    monkeypatch.setattr(TolerantRedisCache, "_down_until", 0.0)
    monkeypatch.setattr(TolerantRedisCache, "_lost_writes", False)
    prefix = f"test-{uuid.uuid4().hex}"
    up = _cache(redis_url, prefix)
    down = _cache("redis://127.0.0.1:1/0", prefix)  # nothing listens there
    try:
        up.set(KEY, 1, None)
        up.set("wikis:list:generation-1", "the list before the change", 300)

        down.set(KEY, 2, None)  # the bump after a write: Redis is unreachable
        assert TolerantRedisCache._lost_writes
        TolerantRedisCache._down_until = 0.0  # the quiet period is over

        up.get("anything")  # the first answer from Redis again
        assert up.get(KEY) not in (None, 1)
        assert not TolerantRedisCache._lost_writes
    finally:
        up.delete_many([KEY, "wikis:list:generation-1", "settings-generation"])


def test_failed_reads_alone_do_not_renew_anything(redis_url, monkeypatch):
    monkeypatch.setattr(TolerantRedisCache, "_down_until", 0.0)
    monkeypatch.setattr(TolerantRedisCache, "_lost_writes", False)
    prefix = f"test-{uuid.uuid4().hex}"
    up, down = _cache(redis_url, prefix), _cache("redis://127.0.0.1:1/0", prefix)
    try:
        up.set(KEY, 1, None)
        assert down.get(KEY) is None
        TolerantRedisCache._down_until = 0.0
        assert up.get(KEY) == 1
    finally:
        up.delete(KEY)
