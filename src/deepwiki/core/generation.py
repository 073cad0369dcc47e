"""A content generation number: cached reads include it, every write bumps it.

Bumping after commit makes every cached wiki list, page and search result
stale at once, in every process sharing the cache, without tracking keys.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "content-generation"


def content_generation() -> int:
    """Return the current generation (the cache may have lost it: start anew)."""
    value = cache.get(KEY)
    if value is None:
        value = time.time_ns()
        cache.add(KEY, value, None)
        value = cache.get(KEY, value)
    return int(value)


def bump_content_generation() -> None:
    """Invalidate every generation-keyed cache entry once the transaction commits."""
    transaction.on_commit(lambda: cache.set(KEY, time.time_ns(), None))
