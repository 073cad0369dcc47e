"""Writes of the activity log, page views and the search log.

Services elsewhere call these inside their own transactions, so an action and
its log entry commit (or roll back) together.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from deepwiki.activity.models import Activity, PageView, RecentView, SearchLog
from deepwiki.activity.viewbuffer import buffer_append, buffer_done, buffer_take

log = logging.getLogger("deepwiki.activity")

# Buffered views reach the tables within this many seconds (while requests
# come in; the worker and `deepwiki flushviews` flush too).
FLUSH_EVERY = 30.0
_next_flush = time.monotonic() + FLUSH_EVERY


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
    row = _activity_row(
        actor=actor, action=action, wiki=wiki, path=path, details=details
    )
    row.save()
    return row


def _activity_row(*, actor, action: str, wiki, path: str, details) -> Activity:
    return Activity(
        actor=actor,
        action=action,
        wiki=wiki,
        wiki_title=(getattr(wiki, "title", "") or "")[:200],
        wiki_slug=(getattr(wiki, "slug", "") or "")[:80],
        wiki_visibility=getattr(wiki, "visibility", "") or "",
        wiki_owner_id=getattr(wiki, "owner_id", None),
        path=(path or "")[:1024],
        details=details or {},
    )


def pageview_record(*, wiki, path: str, user=None, title: str = "") -> None:
    """Count one view of a page: buffered, no SQL (`pageviews_flush` stores it)."""
    now = timezone.now()
    signed_in = user is not None and user.is_authenticated
    buffer_append(
        {
            "d": timezone.localdate(now).isoformat(),
            "w": wiki.pk,
            "p": path,
            "u": user.pk if signed_in else None,
            "t": title[:300] if signed_in else "",
            "at": now.isoformat(),
        }
    )
    _flush_if_due()


def _flush_if_due() -> None:
    """Every FLUSH_EVERY seconds one request (of any worker) queues the flush."""
    global _next_flush
    moment = time.monotonic()
    if moment < _next_flush:
        return
    _next_flush = moment + FLUSH_EVERY
    # One elected request per interval across workers (a shared-cache add).
    if not cache.add("views:flush-due", 1, timeout=FLUSH_EVERY):
        return
    # With the database queue the worker flushes; the immediate backend
    # (embedded default) flushes here, once per interval.
    transaction.on_commit(_queue_flush)


def _queue_flush() -> None:
    try:
        pageviews_flush_task.enqueue()
    except Exception:  # the next interval or `deepwiki flushviews` catches up
        log.warning("page view flush not queued", exc_info=True)


@task()
def pageviews_flush_task() -> int:
    """The background task behind the periodic flush."""
    return pageviews_flush()


def pageviews_flush() -> int:
    """Store the buffered views in batches: day counters and recent views."""
    entries, token = buffer_take()
    if not entries:
        buffer_done(token, entries=entries, ok=True)
        return 0
    try:
        with transaction.atomic():
            _store_counts(entries)
            _store_recent(entries)
    except Exception:
        buffer_done(token, entries=entries, ok=False)
        raise
    buffer_done(token, entries=entries, ok=True)
    return len(entries)


def pageviews_flush_safely() -> None:
    """Flush before a report reads the tables; a failure leaves them a bit behind."""
    try:
        pageviews_flush()
    except Exception:  # the views stay buffered for the next flush
        log.warning("page views not flushed", exc_info=True)


def _store_counts(entries: list[dict]) -> None:
    """Add the views to the day counters: a few statements per batch, not per page."""
    counts = Counter((date.fromisoformat(e["d"]), e["w"], e["p"]) for e in entries)
    live = set(
        _wiki_model()
        .objects.filter(pk__in={w for _, w, _ in counts})
        .values_list("pk", flat=True)
    )
    keys = [k for k in counts if k[1] in live]  # a deleted wiki's views are dropped
    for chunk in _chunks(keys):
        existing = {
            (day, wiki_id, path): pk
            for pk, day, wiki_id, path in PageView.objects.filter(
                day__in={k[0] for k in chunk},
                wiki_id__in={k[1] for k in chunk},
                path__in={k[2] for k in chunk},
            ).values_list("pk", "day", "wiki_id", "path")
        }
        by_increment: dict[int, list[int]] = {}
        for key in chunk:
            if key in existing:
                by_increment.setdefault(counts[key], []).append(existing[key])
        for n, ids in by_increment.items():
            PageView.objects.filter(pk__in=ids).update(count=F("count") + n)
        PageView.objects.bulk_create(
            PageView(day=d, wiki_id=w, path=p, count=counts[(d, w, p)])
            for d, w, p in chunk
            if (d, w, p) not in existing
        )


def _store_recent(entries: list[dict]) -> None:
    """Upsert each reader's latest view of a page; log the first view of a day."""
    latest: dict[tuple, dict] = {}
    for entry in entries:
        if entry.get("u") is None:
            continue
        key = (entry["u"], entry["w"], entry["p"])
        if key not in latest or entry["at"] > latest[key]["at"]:
            latest[key] = entry
    if not latest:
        return
    users = _user_model().objects.in_bulk({u for u, _, _ in latest})
    wikis = _wiki_model().objects.in_bulk({w for _, w, _ in latest})
    keys = [k for k in latest if k[0] in users and k[1] in wikis]
    for chunk in _chunks(keys):
        stored = RecentView.objects.filter(
            user_id__in={k[0] for k in chunk},
            wiki_id__in={k[1] for k in chunk},
            path__in={k[2] for k in chunk},
        ).values_list("user_id", "wiki_id", "path", "viewed_at")
        seen = {(u, w, p): at for u, w, p, at in stored}
        rows, firsts = [], []
        for user_id, wiki_id, path in chunk:
            entry = latest[(user_id, wiki_id, path)]
            viewed_at = datetime.fromisoformat(entry["at"])
            title = entry["t"][:300]
            before = seen.get((user_id, wiki_id, path))
            if before is None or before < _start_of_day(viewed_at):
                details = {"title": title} if title else {}
                firsts.append(
                    _activity_row(
                        actor=users[user_id],
                        action=Activity.Action.WIKI_VIEWED,
                        wiki=wikis[wiki_id],
                        path=path,
                        details=details,
                    )
                )
            rows.append(
                RecentView(
                    user_id=user_id,
                    wiki_id=wiki_id,
                    path=path,
                    viewed_at=viewed_at,
                    title=title,
                )
            )
        RecentView.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "wiki", "path"],
            update_fields=["viewed_at", "title"],
        )
        Activity.objects.bulk_create(firsts)


def _start_of_day(moment):
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _wiki_model():
    # activity sits below wikis: reach the model through the foreign key.
    return PageView._meta.get_field("wiki").related_model


def _user_model():
    return RecentView._meta.get_field("user").related_model


def search_log_record(*, query: str, results: int, user=None) -> SearchLog:
    """Log a submitted search for the analytics tables."""
    query = (query or "").strip()[:500]
    return SearchLog.objects.create(
        query=query,
        normalized=" ".join(query.lower().split())[:500],
        results=results,
        user=user if user is not None and user.is_authenticated else None,
    )
