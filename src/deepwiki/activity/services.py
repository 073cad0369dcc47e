"""Writes of the activity log, page views and the search log.

Services elsewhere call these inside their own transactions, so an action and
its log entry commit (or roll back) together.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from deepwiki.activity.models import Activity, PageView, RecentView, SearchLog


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
    if action not in Activity.Action.values:
        raise ValueError(f"Unknown activity action: {action!r}")
    visibility = getattr(wiki, "visibility", "") or ""
    owner_id = getattr(wiki, "owner_id", None)
    if wiki is not None and action == Activity.Action.WIKI_DELETED:
        # The wiki row goes away; keep who could read its history.
        Activity.objects.filter(wiki=wiki).update(
            wiki_visibility=visibility, wiki_owner_id=owner_id
        )
    return Activity.objects.create(
        actor=actor,
        action=action,
        wiki=wiki,
        wiki_title=(getattr(wiki, "title", "") or "")[:200],
        wiki_slug=(getattr(wiki, "slug", "") or "")[:80],
        wiki_visibility=visibility,
        wiki_owner_id=owner_id,
        path=(path or "")[:1024],
        details=details or {},
    )


def pageview_record(*, wiki, path: str, user=None, title: str = "") -> None:
    """Count one view of a page today (an atomic increment, never a row per view)."""
    now = timezone.now()
    today = timezone.localdate(now)
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
        _recent_view_record(user=user, wiki=wiki, path=path, title=title, now=now)


def _recent_view_record(*, user, wiki, path: str, title: str, now) -> None:
    """Move the page to the top of the user's recent views; log the first view a day."""
    start_of_day = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    seen_today = RecentView.objects.filter(
        user=user, wiki=wiki, path=path, viewed_at__gte=start_of_day
    ).update(viewed_at=now, title=title[:300])
    if seen_today:
        return
    RecentView.objects.update_or_create(
        user=user,
        wiki=wiki,
        path=path,
        defaults={"viewed_at": now, "title": title[:300]},
    )
    activity_record(
        actor=user,
        action=Activity.Action.WIKI_VIEWED,
        wiki=wiki,
        path=path,
        details={"title": title[:300]} if title else {},
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
