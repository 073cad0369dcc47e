"""Admin analytics tables: one definition serves the page, the CSV and the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from deepwiki.activity.models import PageView, SearchLog
from deepwiki.activity.services import pageviews_flush_safely
from deepwiki.wikis.models import FileKind, Link, Wiki, WikiFile, WikiVersion

PERIODS = (7, 30, 90)
STALE_DEFAULT = 90
STALE_MAX = 3650


@dataclass(frozen=True)
class Column:
    """A table column: the row key, its header and how to show the value."""

    key: str
    label: str
    kind: str = "text"  # text | int | float | bytes | datetime | wiki | page | user
    slug_key: str = "wiki__slug"  # where "wiki" and "page" cells find the wiki


@dataclass(frozen=True)
class Report:
    """One analytics table."""

    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[int], QuerySet]
    days_label: str = "Period"
    days_choices: tuple[int, ...] = PERIODS
    default_days: int = 30

    def clean_days(self, raw) -> int:
        """The period asked for, or the default when it is not one of the choices."""
        try:
            days = int(raw)
        except (TypeError, ValueError):
            return self.default_days
        if self.key == "stale":
            return days if 1 <= days <= STALE_MAX else self.default_days
        return days if days in self.days_choices else self.default_days


def _first_day(days: int) -> date:
    return timezone.localdate() - timedelta(days=days - 1)


def _since(days: int):
    return timezone.now() - timedelta(days=days)


def most_viewed(days: int) -> QuerySet:
    """Pages by views over the last `days` days (today included)."""
    pageviews_flush_safely()
    title = WikiFile.objects.filter(wiki=OuterRef("wiki"), path=OuterRef("path"))
    return (
        PageView.objects.filter(day__gte=_first_day(days))
        .values("wiki__slug", "wiki__title", "path")
        .annotate(views=Sum("count"), title=Subquery(title.values("title")[:1]))
        .order_by("-views", "wiki__slug", "path")
    )


def top_searches(days: int, *, zero_only: bool = False) -> QuerySet:
    """Searches grouped by their normalised text, most frequent first."""
    qs = SearchLog.objects.filter(created_at__gte=_since(days))
    if zero_only:
        qs = qs.filter(results=0)
    return (
        qs.values("normalized")
        .annotate(
            searches=Count("id"),
            avg_results=Avg("results"),
            last_searched=Max("created_at"),
        )
        .order_by("-searches", "normalized")
    )


def zero_result_searches(days: int) -> QuerySet:
    return top_searches(days, zero_only=True)


def stale_pages(days: int) -> QuerySet:
    """Markdown pages not updated for `days` days, oldest first."""
    return (
        WikiFile.objects.filter(kind=FileKind.MARKDOWN, updated_at__lt=_since(days))
        .values("wiki__slug", "wiki__title", "path", "title", "updated_at")
        .order_by("updated_at", "wiki__slug", "path")
    )


def broken_links(days: int = 0) -> QuerySet:
    """Internal links whose target does not exist, across all wikis."""
    return (
        Link.objects.filter(broken=True)
        .values("wiki__slug", "wiki__title", "source__path", "target", "kind")
        .order_by("wiki__slug", "source__path", "target")
    )


def storage_by_wiki(days: int = 0) -> QuerySet:
    """Wikis by the size of their current files, largest first."""
    versions = (
        WikiVersion.objects.filter(wiki=OuterRef("pk"))
        .order_by()
        .values("wiki")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Wiki.objects.values(
            "slug", "title", "owner__email", "visibility", "file_count", "total_size"
        )
        .annotate(versions=Subquery(versions[:1]))
        .order_by("-total_size", "slug")
    )


def contributors(days: int) -> QuerySet:
    """People by the versions they created in the period (deleted accounts together)."""
    return (
        WikiVersion.objects.filter(created_at__gte=_since(days))
        .values("author__email")
        .annotate(
            versions=Count("id"),
            wikis=Count("wiki", distinct=True),
            last_change=Max("created_at"),
        )
        .order_by("-versions", "author__email")
    )


WIKI = Column("wiki__title", "Wiki", "wiki")
REPORTS: dict[str, Report] = {
    r.key: r
    for r in (
        Report(
            "views",
            "Most viewed pages",
            "Page views counted per day.",
            (
                WIKI,
                Column("path", "Page", "page"),
                Column("title", "Title"),
                Column("views", "Views", "int"),
            ),
            most_viewed,
        ),
        Report(
            "searches",
            "Top searches",
            "Submitted searches, grouped by their text (case and spacing ignored).",
            (
                Column("normalized", "Search"),
                Column("searches", "Searches", "int"),
                Column("avg_results", "Average results", "float"),
                Column("last_searched", "Last searched", "datetime"),
            ),
            top_searches,
        ),
        Report(
            "zero-results",
            "Searches with no results",
            "What people looked for and did not find: candidates for new pages.",
            (
                Column("normalized", "Search"),
                Column("searches", "Searches", "int"),
                Column("last_searched", "Last searched", "datetime"),
            ),
            zero_result_searches,
        ),
        Report(
            "stale",
            "Stale pages",
            "Markdown pages not updated for a while.",
            (
                WIKI,
                Column("path", "Page", "page"),
                Column("title", "Title"),
                Column("updated_at", "Last updated", "datetime"),
            ),
            stale_pages,
            days_label="Not updated for (days)",
            days_choices=(30, 90, 180, 365),
            default_days=STALE_DEFAULT,
        ),
        Report(
            "broken-links",
            "Broken links",
            "Links between pages whose target does not exist.",
            (
                WIKI,
                Column("source__path", "On page", "page"),
                Column("target", "Link target"),
                Column("kind", "Kind"),
            ),
            broken_links,
            days_choices=(),
        ),
        Report(
            "storage",
            "Storage by wiki",
            "Size of each wiki's current files (identical files are stored once).",
            (
                Column("title", "Wiki", "wiki", slug_key="slug"),
                Column("owner__email", "Owner", "user"),
                Column("visibility", "Visibility"),
                Column("file_count", "Files", "int"),
                Column("versions", "Versions", "int"),
                Column("total_size", "Size", "bytes"),
            ),
            storage_by_wiki,
            days_choices=(),
        ),
        Report(
            "contributors",
            "Most active contributors",
            "Versions created (uploads, edits, moves, restores) per person.",
            (
                Column("author__email", "Person", "user"),
                Column("versions", "Versions", "int"),
                Column("wikis", "Wikis", "int"),
                Column("last_change", "Last change", "datetime"),
            ),
            contributors,
        ),
    )
}


def views_per_day(days: int) -> list[tuple[date, int]]:
    """Total page views for each of the last `days` days, zero-filled."""
    pageviews_flush_safely()
    first = _first_day(days)
    counts = dict(
        PageView.objects.filter(day__gte=first)
        .values("day")
        .annotate(total=Sum("count"))
        .values_list("day", "total")
    )
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range(days)
    ]
