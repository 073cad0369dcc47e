"""Planner statistics refreshed after bulk writes.

Right after an import PostgreSQL has no statistics for the new rows and
picks plans for empty tables (the backlinks join hashed every file row,
HTML included, and spilled to disk at 10k files); SQLite's planner likewise
benefits from `PRAGMA optimize` once a table has grown.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

log = logging.getLogger("deepwiki.wikis")

# Rows written by one change before the statistics are worth refreshing.
BULK_ROWS = 200


def statistics_refresh_after_commit(*, rows: int) -> None:
    """After a bulk write commits, refresh the planner's statistics."""
    if rows >= BULK_ROWS:
        transaction.on_commit(statistics_refresh)


def statistics_refresh() -> None:
    """ANALYZE (PostgreSQL) or PRAGMA optimize (SQLite), outside any transaction."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit=1000")
                cursor.execute("PRAGMA optimize=0x10002")
    except DatabaseError:  # stale statistics are slower, never wrong
        log.warning("planner statistics not refreshed", exc_info=True)
