"""The port through which the write funnel keeps the search index current.

Wikis sit below search (search reads wiki rows and permissions), yet every
write must update the index in the same transaction. So wikis declare what
they need here, and the search app plugs its indexer in when Django starts
(`SearchConfig.ready`). Writing without an index plugged in is an error,
never a silently stale index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class SearchIndex(Protocol):
    """What the write funnel asks of the search index (all inside its transaction)."""

    def index_files(self, items: Iterable) -> None:
        """(Re)index files: an iterable of (WikiFile, RenderedPage | None)."""

    def remove_files(self, file_ids: list[int]) -> None:
        """Drop the entries of these files."""

    def index_wiki(self, wiki) -> None:
        """Refresh the wiki-level entry (title, description, tags)."""

    def remove_wiki(self, wiki_id: int) -> None:
        """Drop every entry of a wiki."""


_index: SearchIndex | None = None


def plug_search_index(index: SearchIndex) -> None:
    """Install the search index implementation (the search app does this)."""
    global _index
    _index = index


def search_index() -> SearchIndex:
    """Return the installed search index, or refuse to write without one."""
    if _index is None:
        raise ImproperlyConfigured(
            "No search index is plugged in: add 'deepwiki.search' to INSTALLED_APPS."
        )
    return _index
