"""/api routes of the analytics app: dashboard, wiki stats, analytics, administration."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from deepwiki.accounts import services as account_services
from deepwiki.accounts.models import Role, User
from deepwiki.analytics import admin_services
from deepwiki.analytics.access import is_admin
from deepwiki.analytics.dashboard import PERIOD, dashboard_stats, wiki_stats
from deepwiki.analytics.feed import activity_as_dict, activity_feed
from deepwiki.analytics.models import MaintenanceRun
from deepwiki.analytics.reports import PERIODS, REPORTS, views_per_day
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.errors import Conflict, Forbidden, Invalid, NotFound
from deepwiki.api.types import Text
from deepwiki.core.models import SiteSettings
from deepwiki.wikis.api_http import json_with_etag

router = Router(tags=["dashboard & admin"])


def _admin_only(request) -> None:
    if not is_admin(request.user):
        raise Forbidden("Only admins can do this.")


class Page(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


def _paginate(qs, page: Page, shape) -> dict:
    items = [shape(x) for x in qs[page.offset : page.offset + page.limit]]
    return {
        "items": items,
        "total": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


# --- dashboard -----------------------------------------------------------


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
    _admin_only(request)
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
    _admin_only(request)
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


class UserAdminOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    date_joined: datetime
    last_login: datetime | None
    wiki_count: int


class UserQuery(Page):
    q: Text(254) = ""
    role: Literal["", "USER", "ADMIN"] = ""
    active: bool | None = None


class UserPatch(Schema):
    role: Literal["USER", "ADMIN"] | None = None
    is_active: bool | None = None


def _users():
    return User.objects.annotate(wiki_count=Count("wikis")).order_by("email")


@router.get("/admin/users", auth=SIGNED_IN, tags=["admin"])
def admin_users(request, query: Query[UserQuery]):
    """Search people by e-mail or name; filter by role and status."""
    _admin_only(request)
    users = _users()
    if query.q.strip():
        users = users.filter(
            Q(email__icontains=query.q.strip()) | Q(name__icontains=query.q.strip())
        )
    if query.role:
        users = users.filter(role=query.role)
    if query.active is not None:
        users = users.filter(is_active=query.active)
    data = _paginate(users, query, lambda u: UserAdminOut.from_orm(u).dict())
    return json_with_etag(request, data)


@router.get(
    "/admin/users/{int:user_id}", response=UserAdminOut, auth=SIGNED_IN, tags=["admin"]
)
def admin_user(request, user_id: int):
    _admin_only(request)
    return get_object_or_404(_users(), pk=user_id)


@router.patch(
    "/admin/users/{int:user_id}", response=UserAdminOut, auth=SIGNED_IN, tags=["admin"]
)
def admin_user_update(request, user_id: int, payload: UserPatch):
    """Change a role or (de)activate; it applies to their very next request."""
    _admin_only(request)
    user = get_object_or_404(User, pk=user_id)
    if payload.role is not None:
        account_services.user_set_role(
            actor=request.user, user=user, role=Role(payload.role)
        )
    if payload.is_active is not None:
        account_services.user_set_active(
            actor=request.user, user=user, active=payload.is_active
        )
    return get_object_or_404(_users(), pk=user_id)


@router.delete(
    "/admin/users/{int:user_id}", response={204: None}, auth=SIGNED_IN, tags=["admin"]
)
def admin_user_delete(request, user_id: int):
    """Delete an account; its wikis and versions stay, credited to "deleted user"."""
    _admin_only(request)
    user = get_object_or_404(User, pk=user_id)
    account_services.user_delete(actor=request.user, user=user)
    return Status(204, None)


class SettingsIO(Schema):
    site_name: Text(80) = Field(..., min_length=1)
    welcome_message: Text(2000)
    registration_open: bool
    default_visibility: Literal["private", "internal", "public"]


@router.get("/admin/settings", response=SettingsIO, auth=SIGNED_IN, tags=["admin"])
def admin_settings(request):
    _admin_only(request)
    return SiteSettings.objects.get_or_create(pk=1)[0]


@router.put("/admin/settings", response=SettingsIO, auth=SIGNED_IN, tags=["admin"])
def admin_settings_update(request, payload: SettingsIO):
    """Replace the site settings (every field is required)."""
    _admin_only(request)
    return admin_services.site_settings_update(actor=request.user, data=payload.dict())


class RunOut(Schema):
    id: int
    action: str
    label: str
    options: dict
    status: str
    result: dict
    error: str
    task_id: str
    requested_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _run_out(run: MaintenanceRun) -> dict:
    return {
        **{
            f: getattr(run, f)
            for f in ("id", "action", "options", "status", "result", "error", "task_id")
        },
        "label": run.get_action_display(),
        "requested_by": run.requested_by.email if run.requested_by else None,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


class RunOptions(Schema):
    dry_run: bool | None = None
    force: bool | None = None


@router.get("/admin/actions", auth=SIGNED_IN, tags=["admin"])
def admin_runs(request, page: Query[Page]):
    """Maintenance runs, newest first."""
    _admin_only(request)
    runs = MaintenanceRun.objects.select_related("requested_by")
    return json_with_etag(request, _paginate(runs, page, _run_out))


@router.get(
    "/admin/actions/{int:run_id}", response=RunOut, auth=SIGNED_IN, tags=["admin"]
)
def admin_run(request, run_id: int):
    """Status and result of one maintenance run."""
    _admin_only(request)
    run = get_object_or_404(
        MaintenanceRun.objects.select_related("requested_by"), pk=run_id
    )
    return _run_out(run)


@router.post(
    "/admin/actions/{action}", response={202: RunOut}, auth=SIGNED_IN, tags=["admin"]
)
def admin_run_start(
    request,
    action: Literal["cleanup", "reindex", "rerender"],
    payload: RunOptions | None = None,
):
    """Start cleanup, reindex or rerender in the background; poll its id."""
    _admin_only(request)
    options = {
        k: v for k, v in (payload.dict() if payload else {}).items() if v is not None
    }
    try:
        run = admin_services.maintenance_request(
            actor=request.user, action=action, options=options
        )
    except admin_services.MaintenanceBusy as exc:
        raise Conflict(str(exc), details={"run": [str(exc.run.pk)]}) from None
    return Status(202, _run_out(run))
