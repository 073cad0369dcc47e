"""Generation numbers: cached reads include one in their key, every write bumps it.

Bumping after commit makes every cached wiki list, page, search result or
settings row keyed by that generation stale at once, in every process sharing
the cache, without tracking keys. A reader that raced the write can only fill
a key of the old generation, which nobody asks for again.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "content-generation"
SETTINGS = "settings"
GENERATIONS = ("content", SETTINGS)


def generation_key(name: str) -> str:
    """The cache key holding one generation number."""
    return KEY if name == "content" else f"{name}-generation"


def generation(name: str = "content") -> int:
    """Return the current generation (the cache may have lost it: start anew)."""
    key = generation_key(name)
    value = cache.get(key)
    if value is None:
        value = time.time_ns()
        cache.add(key, value, None)
        value = cache.get(key, value)
    return int(value)


def bump_generation(name: str = "content", *, now: bool = False) -> None:
    """Invalidate every entry keyed by this generation once the transaction commits
    (and at once too with `now`, for a writer that reads its own change back)."""
    key = generation_key(name)
    if now:
        cache.set(key, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), None))


def content_generation() -> int:
    """Return the generation of wikis, pages and search results."""
    return generation("content")


def bump_content_generation() -> None:
    """Invalidate every cached wiki list, page and search result after commit."""
    bump_generation("content")
