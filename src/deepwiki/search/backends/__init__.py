"""Pick the search engine that matches the database in use."""

from __future__ import annotations

from django.db import connection

from deepwiki.search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    """Return PostgreSQL full-text search on PostgreSQL, FTS5 otherwise."""
    if connection.vendor == "postgresql":
        from deepwiki.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from deepwiki.search.backends.sqlite import SqliteBackend

    return SqliteBackend()
