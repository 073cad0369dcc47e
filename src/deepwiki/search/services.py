"""Submitted searches: run the search, then log it for analytics and metrics."""

from __future__ import annotations

from django.db import transaction

from deepwiki.activity.services import search_log_record
from deepwiki.ops.metrics import SEARCHES
from deepwiki.search.scope import SearchFilters
from deepwiki.search.selectors import MIN_QUERY_CHARS, SearchResults, search_results


def search_submit(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
) -> SearchResults:
    """Search for a person who pressed Enter (page or API): count and log it."""
    results = search_results(
        user=user,
        query=query,
        filters=filters,
        limit=limit,
        offset=offset,
        facets=facets,
    )
    if len(results.query) >= MIN_QUERY_CHARS:
        SEARCHES.labels("search").inc()
        if offset == 0:  # one log line per search, not one per results page
            with transaction.atomic():
                search_log_record(query=results.query, results=results.total, user=user)
    return results
