"""Start-up check: the search engine for this database must be usable."""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import DatabaseError, connection

from deepwiki.search.backends import get_backend


@register("database")
def check_search_engine(app_configs=None, databases=None, **kwargs):
    """Report a missing FTS5 or pg_trgm as a clear error instead of a crash later."""
    if databases is not None and "default" not in databases:
        return []
    try:
        problems = get_backend().problems()
    except DatabaseError as exc:  # database unreachable: other checks say so
        return [
            Error(
                f"Could not inspect the search engine on {connection.vendor}: {exc}",
                id="deepwiki.search.E002",
            )
        ]
    return [
        Error(
            problem,
            id="deepwiki.search.E001",
            hint="Search does not work until this is fixed; then run `deepwiki reindex`.",
        )
        for problem in problems
    ]
