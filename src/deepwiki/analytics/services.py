"""Writes of the activity log, page views and the search log.

Services elsewhere call these inside their own transactions, so an action and
its log entry commit (or roll back) together.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from deepwiki.analytics.models import Activity, PageView, RecentView, SearchLog


def activity_record(
    *,
    actor,
    action: str,
    wiki=None,
    path: str = "",
    details: dict | None = None,
) -> Activity:
    """Log that `actor` did `action` (one of Activity.Action) to a wiki or path."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Activity.objects.create(
        actor=actor,
        action=action,
        wiki=wiki,
        wiki_title=getattr(wiki, "title", "") or "",
        wiki_slug=getattr(wiki, "slug", "") or "",
        path=path[:1024],
        details=details or {},
    )


def pageview_record(*, wiki, path: str, user=None, title: str = "") -> None:
    """Count one view of a page today (an atomic increment, never a row per view)."""
    today = timezone.localdate()
    updated = PageView.objects.filter(day=today, wiki=wiki, path=path).update(
        count=F("count") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                PageView.objects.create(day=today, wiki=wiki, path=path, count=1)
        except IntegrityError:  # another request created today's row first
            PageView.objects.filter(day=today, wiki=wiki, path=path).update(
                count=F("count") + 1
            )
    if user is not None and user.is_authenticated:
        RecentView.objects.update_or_create(
            user=user,
            wiki=wiki,
            path=path,
            defaults={"viewed_at": timezone.now(), "title": title[:300]},
        )


def search_log_record(*, query: str, results: int, user=None) -> SearchLog:
    """Log a submitted search for the analytics tables."""
    query = (query or "").strip()[:500]
    return SearchLog.objects.create(
        query=query,
        normalized=" ".join(query.lower().split())[:500],
        results=results,
        user=user if user is not None and user.is_authenticated else None,
    )
