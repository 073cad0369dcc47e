"""/api routes of the dashboard, the activity feed, wiki stats and analytics reports."""

from __future__ import annotations

from ninja import Query, Router
from pydantic import Field

from deepwiki.analytics.dashboard import PERIOD, dashboard_stats, wiki_stats
from deepwiki.analytics.feed import activity_as_dict, activity_feed
from deepwiki.analytics.reports import PERIODS, REPORTS, views_per_day
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.caching import json_with_etag
from deepwiki.api.pagination import Page, _paginate
from deepwiki.api.types import Text
from deepwiki.core.errors import Invalid, NotFound
from deepwiki.wikis.permissions import require_admin

router = Router(tags=["dashboard"])


@router.get("/dashboard/stats", auth=SIGNED_IN, tags=["dashboard"])
def stats(request):
    """The dashboard figures you may see, each with its trend over 7 days."""
    cards = dashboard_stats(user=request.user)
    data = {"period_days": PERIOD.days, "stats": {c.key: c.as_dict() for c in cards}}
    return json_with_etag(request, data)


class ActivityFilters(Page):
    type: Text(40) = ""
    wiki: Text(80) = ""
    user: int | None = None


@router.get("/dashboard/activities", auth=SIGNED_IN, tags=["dashboard"])
def activities(request, filters: Query[ActivityFilters]):
    """Recent activity on wikis you can read (admins also see account events)."""
    feed = activity_feed(
        user=request.user, type=filters.type, wiki=filters.wiki, actor=filters.user
    )
    return json_with_etag(request, _paginate(feed, filters, activity_as_dict))


@router.get("/wiki/stats", auth=ANYONE, tags=["wikis"])
def wikis_stats(request):
    """Totals over the wikis you can read (public ones when signed out)."""
    return json_with_etag(request, wiki_stats(user=request.user), public=True)


# --- analytics (admins) --------------------------------------------------


class ReportQuery(Page):
    days: int | None = Field(None, ge=1, le=3650)


@router.get("/analytics/views-per-day", auth=SIGNED_IN, tags=["analytics"])
def analytics_views_per_day(request, days: int = 30):
    """Total page views for each day of the period (7, 30 or 90 days; zero-filled)."""
    require_admin(request.user)
    if days not in PERIODS:
        raise Invalid(
            "Choose a period of 7, 30 or 90 days.",
            details={"days": ["Use 7, 30 or 90."]},
        )
    points = views_per_day(days)
    data = {"days": days, "items": [{"day": d, "views": v} for d, v in points]}
    return json_with_etag(request, data)


@router.get("/analytics/{report}", auth=SIGNED_IN, tags=["analytics"])
def analytics_report(request, report: str, query: Query[ReportQuery]):
    """One analytics table: views, searches, zero-results, stale, broken-links,
    storage or contributors. `days` picks the period (for stale: the age)."""
    require_admin(request.user)
    found = REPORTS.get(report)
    if found is None:
        raise NotFound(f"No such report. Use one of: {', '.join(REPORTS)}.")
    days = found.clean_days(query.days)
    result = _paginate(found.rows(days), query, _api_row)
    data = {"report": found.key, "title": found.title, "days": days, **result}
    return json_with_etag(request, data)


def _api_row(row: dict) -> dict:
    return {
        key.replace("__", "_"): (round(value, 1) if isinstance(value, float) else value)
        for key, value in row.items()
    }


# --- administration (admins) -------------------------------------------
