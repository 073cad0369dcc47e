"""/api routes of the dashboard, the activity feed, wiki stats and analytics reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from deepwiki.analytics.dashboard import PERIOD, dashboard_stats, wiki_stats
from deepwiki.analytics.feed import activity_as_dict, activity_feed
from deepwiki.analytics.reports import PERIODS, REPORTS, views_per_day
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.caching import json_with_etag
from deepwiki.api.pagination import Page, _paginate
from deepwiki.api.routing import route
from deepwiki.api.schemas import UserRef, errors
from deepwiki.api.serializers import user_out
from deepwiki.api.types import Text
from deepwiki.core.errors import Invalid, NotFound
from deepwiki.wikis.permissions import require_admin

router = Router(tags=["dashboard"])
READ = {304: None, **errors(401, 422)}
ADMIN_READ = {304: None, **errors(401, 403, 404, 422)}


class TrendOut(Schema):
    kind: str = Field(description="window or snapshot")
    current: int
    previous: int
    change: int
    percent: int | None
    direction: str = Field(description="up, down or flat")
    period_days: int


class StatOut(Schema):
    key: str
    label: str
    value: int
    unit: str
    trend: TrendOut


class DashboardStatsOut(Schema):
    period_days: int
    stats: dict[str, StatOut]


class ActivityWiki(Schema):
    slug: str
    title: str
    exists: bool


class ActivityOut(Schema):
    id: int
    type: str
    label: str
    actor: UserRef | None = Field(description="null once the account is deleted")
    wiki: ActivityWiki | None
    path: str
    details: dict[str, Any]
    created_at: datetime


class ActivityListOut(Schema):
    items: list[ActivityOut]
    total: int
    limit: int
    offset: int


class WikiStatsOut(Schema):
    wikis: int
    files: int
    storage_bytes: int
    files_by_kind: dict[str, int]
    wikis_by_visibility: dict[str, int]


class DayViews(Schema):
    day: date
    views: int


class ViewsPerDayOut(Schema):
    days: int
    items: list[DayViews]


class ReportOut(Schema):
    report: str
    title: str
    days: int | None
    items: list[dict[str, Any]] = Field(
        description="Rows; columns depend on the report"
    )
    total: int
    limit: int
    offset: int


@router.get(
    "/dashboard/stats",
    auth=SIGNED_IN,
    tags=["dashboard"],
    response={200: DashboardStatsOut, **READ},
)
def stats(request):
    """The dashboard figures you may see, each with its trend over 7 days."""
    cards = dashboard_stats(user=request.user)
    data = {"period_days": PERIOD.days, "stats": {c.key: c.as_dict() for c in cards}}
    return json_with_etag(request, data, schema=DashboardStatsOut)


class ActivityFilters(Page):
    type: Text(40) = ""
    wiki: Text(80) = ""
    user: int | None = None


@router.get(
    "/dashboard/activities",
    auth=SIGNED_IN,
    tags=["dashboard"],
    response={200: ActivityListOut, **READ},
)
def activities(request, filters: Query[ActivityFilters]):
    """Recent activity on wikis you can read (admins also see account events)."""
    feed = activity_feed(
        user=request.user, type=filters.type, wiki=filters.wiki, actor=filters.user
    )

    def shape(activity) -> dict:
        # People appear by display name; e-mail addresses only to admins.
        return {
            **activity_as_dict(activity),
            "actor": user_out(activity.actor, request.user),
        }

    data = _paginate(feed, filters, shape)
    return json_with_etag(request, data, schema=ActivityListOut)


@route(
    router,
    "GET",
    "/stats/wikis",
    aliases=["/wiki/stats"],
    auth=ANYONE,
    tags=["wikis"],
    response={200: WikiStatsOut, **READ},
)
def wikis_stats(request):
    """Totals over the wikis you can read (public ones when signed out)."""
    return json_with_etag(
        request, wiki_stats(user=request.user), schema=WikiStatsOut, public=True
    )


# --- analytics (admins) --------------------------------------------------


class ReportQuery(Page):
    days: int | None = Field(None, ge=1, le=3650)


@router.get(
    "/analytics/views-per-day",
    auth=SIGNED_IN,
    tags=["analytics"],
    response={200: ViewsPerDayOut, **ADMIN_READ},
)
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
    return json_with_etag(request, data, schema=ViewsPerDayOut)


@route(
    router,
    "GET",
    "/analytics/reports/{report}",
    aliases=["/analytics/{report}"],
    auth=SIGNED_IN,
    tags=["analytics"],
    response={200: ReportOut, **ADMIN_READ},
)
def analytics_report(
    request, report: Annotated[str, Field(max_length=40)], query: Query[ReportQuery]
):
    """One analytics table: views, searches, zero-results, stale, broken-links,
    storage or contributors. `days` picks the period (for stale: the age)."""
    require_admin(request.user)
    found = REPORTS.get(report)
    if found is None:
        raise NotFound(f"No such report. Use one of: {', '.join(REPORTS)}.")
    days = found.clean_days(query.days)
    result = _paginate(found.rows(days), query, _api_row)
    data = {"report": found.key, "title": found.title, "days": days, **result}
    return json_with_etag(request, data, schema=ReportOut)


def _api_row(row: dict) -> dict:
    return {
        key.replace("__", "_"): (round(value, 1) if isinstance(value, float) else value)
        for key, value in row.items()
    }


# --- administration (admins) -------------------------------------------
