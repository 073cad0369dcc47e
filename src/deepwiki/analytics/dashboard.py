"""Dashboard figures: counts the user may see, each with a trend from real history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from deepwiki.accounts.models import User
from deepwiki.wikis.models import FileKind, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.permissions import is_admin, readable_wikis

PERIOD = timedelta(days=7)
# WikiVersion.action values written by uploads (a new wiki, or files into one);
# edits, moves, deletes, restores and settings changes are not uploads.
UPLOAD_ACTIONS = ("created", "updated")


@dataclass(frozen=True)
class Trend:
    """A figure now against the same figure one period earlier."""

    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> int | None:
        """Change in whole percent; None when there is nothing to compare with."""
        if self.previous == 0:
            return None
        return round(100 * self.change / self.previous)

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"


@dataclass(frozen=True)
class Stat:
    """One dashboard card: a value and how it moved."""

    key: str
    label: str
    value: int
    trend: Trend
    # "window": trend compares the last period with the one before;
    # "snapshot": trend compares the value now with the value a period ago.
    trend_kind: str
    unit: str = "count"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "trend": {
                "kind": self.trend_kind,
                "current": self.trend.current,
                "previous": self.trend.previous,
                "change": self.trend.change,
                "percent": self.trend.percent,
                "direction": self.trend.direction,
                "period_days": PERIOD.days,
            },
        }


def _in_window(qs: QuerySet, field: str, start: datetime, end: datetime) -> int:
    return qs.filter(**{f"{field}__gte": start, f"{field}__lt": end}).count()


def _window_trend(qs: QuerySet, field: str, now: datetime) -> Trend:
    return Trend(
        current=_in_window(qs, field, now - PERIOD, now),
        previous=_in_window(qs, field, now - 2 * PERIOD, now - PERIOD),
    )


def _size_at(wikis: QuerySet, when: datetime) -> tuple[int, int]:
    """Files and bytes of these wikis as their version history says they were then."""
    latest = WikiVersion.objects.filter(
        wiki=OuterRef("pk"), created_at__lte=when
    ).order_by("-number")
    totals = wikis.annotate(
        past_files=Subquery(latest.values("file_count")[:1]),
        past_bytes=Subquery(latest.values("total_size")[:1]),
    ).aggregate(files=Sum("past_files"), size=Sum("past_bytes"))
    return totals["files"] or 0, totals["size"] or 0


def dashboard_stats(*, user, now: datetime | None = None) -> list[Stat]:
    """The dashboard cards for `user`, counted over the wikis they may read."""
    now = now or timezone.now()
    wikis = Wiki.objects.filter(pk__in=readable_wikis(user).values("pk"))
    totals = wikis.aggregate(files=Sum("file_count"), size=Sum("total_size"))
    files_now, bytes_now = totals["files"] or 0, totals["size"] or 0
    files_then, bytes_then = _size_at(wikis, now - PERIOD)
    uploads = WikiVersion.objects.filter(wiki__in=wikis, action__in=UPLOAD_ACTIONS)
    upload_trend = _window_trend(uploads, "created_at", now)
    stats = [
        Stat(
            "wikis",
            "Wikis",
            wikis.count(),
            _window_trend(wikis, "created_at", now),
            "window",
        ),
        Stat("files", "Files", files_now, Trend(files_now, files_then), "snapshot"),
        Stat(
            "storage",
            "Storage used",
            bytes_now,
            Trend(bytes_now, bytes_then),
            "snapshot",
            "bytes",
        ),
        Stat(
            "uploads",
            "Uploads, last 7 days",
            upload_trend.current,
            upload_trend,
            "window",
        ),
    ]
    if is_admin(user):
        users = User.objects.filter(is_active=True)
        stats.append(
            Stat(
                "users",
                "Users",
                users.count(),
                _window_trend(users, "date_joined", now),
                "window",
            )
        )
    return stats


def wiki_stats(*, user) -> dict:
    """Totals over the wikis `user` may read: wikis, files by kind, bytes, visibility."""
    from django.db.models import Count

    wikis = Wiki.objects.filter(pk__in=readable_wikis(user).values("pk"))
    totals = wikis.aggregate(files=Sum("file_count"), size=Sum("total_size"))
    by_kind = dict(
        WikiFile.objects.filter(wiki__in=wikis)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    by_visibility = dict(
        wikis.values("visibility")
        .annotate(n=Count("id"))
        .values_list("visibility", "n")
    )
    return {
        "wikis": wikis.count(),
        "files": totals["files"] or 0,
        "storage_bytes": totals["size"] or 0,
        "files_by_kind": {k: by_kind.get(k, 0) for k in FileKind.values},
        "wikis_by_visibility": {
            v: by_visibility.get(v, 0) for v in ("private", "internal", "public")
        },
    }
