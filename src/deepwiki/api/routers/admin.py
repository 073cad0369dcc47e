"""/api routes of the admin area: users, site settings, maintenance runs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from deepwiki.accounts.models import Role, User
from deepwiki.activity.models import MaintenanceRun
from deepwiki.administration import maintenance, site_settings
from deepwiki.administration import users as user_admin
from deepwiki.api.auth import SIGNED_IN
from deepwiki.api.caching import json_with_etag
from deepwiki.api.pagination import Page, _paginate
from deepwiki.api.schemas import Input, StrictBool, errors
from deepwiki.api.types import Text
from deepwiki.core.errors import Conflict
from deepwiki.core.models import SiteSettings
from deepwiki.wikis.permissions import require_admin

router = Router(tags=["admin"])
READ = {304: None, **errors(401, 403, 422)}
ONE = errors(401, 403, 404, 422)
WRITE = errors(400, 401, 403, 404, 413, 422)


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


class UserList(Schema):
    items: list[UserAdminOut]
    total: int
    limit: int
    offset: int


class UserPatch(Input):
    role: Literal["USER", "ADMIN"] | None = None
    is_active: StrictBool | None = Field(
        None, description="true or false (JSON booleans only)"
    )


def _users():
    return User.objects.annotate(wiki_count=Count("wikis")).order_by("email")


@router.get(
    "/admin/users", auth=SIGNED_IN, tags=["admin"], response={200: UserList, **READ}
)
def admin_users(request, query: Query[UserQuery]):
    """Search people by e-mail or name; filter by role and status."""
    require_admin(request.user)
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
    return json_with_etag(request, data, schema=UserList)


@router.get(
    "/admin/users/{int:user_id}",
    response={200: UserAdminOut, **ONE},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_user(request, user_id: int):
    require_admin(request.user)
    return get_object_or_404(_users(), pk=user_id)


@router.patch(
    "/admin/users/{int:user_id}",
    response={200: UserAdminOut, **WRITE},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_user_update(request, user_id: int, payload: UserPatch):
    """Change a role or (de)activate; it applies to their very next request."""
    require_admin(request.user)
    user = get_object_or_404(User, pk=user_id)
    if payload.role is not None:
        user_admin.user_set_role(actor=request.user, user=user, role=Role(payload.role))
    if payload.is_active is not None:
        user_admin.user_set_active(
            actor=request.user, user=user, active=payload.is_active
        )
    return get_object_or_404(_users(), pk=user_id)


@router.delete(
    "/admin/users/{int:user_id}",
    response={204: None, **ONE},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_user_delete(request, user_id: int):
    """Delete an account; its wikis and versions stay, credited to "deleted user"."""
    require_admin(request.user)
    user = get_object_or_404(User, pk=user_id)
    user_admin.user_delete(actor=request.user, user=user)
    return Status(204, None)


class SettingsOut(Schema):
    site_name: str
    welcome_message: str
    registration_open: bool
    default_visibility: str


class SettingsIn(Input):
    site_name: Text(80) = Field(..., min_length=1)
    welcome_message: Text(2000)
    registration_open: StrictBool
    default_visibility: Literal["private", "internal", "public"]


@router.get(
    "/admin/settings",
    response={200: SettingsOut, **errors(401, 403)},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_settings(request):
    require_admin(request.user)
    return SiteSettings.objects.get_or_create(pk=1)[0]


@router.put(
    "/admin/settings",
    response={200: SettingsOut, **errors(400, 401, 403, 413, 422)},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_settings_update(request, payload: SettingsIn):
    """Replace the site settings (every field is required)."""
    require_admin(request.user)
    return site_settings.site_settings_update(actor=request.user, data=payload.dict())


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


class RunList(Schema):
    items: list[RunOut]
    total: int
    limit: int
    offset: int


class RunOptions(Input):
    dry_run: StrictBool | None = None
    force: StrictBool | None = None


@router.get(
    "/admin/actions", auth=SIGNED_IN, tags=["admin"], response={200: RunList, **READ}
)
def admin_runs(request, page: Query[Page]):
    """Maintenance runs, newest first."""
    require_admin(request.user)
    runs = MaintenanceRun.objects.select_related("requested_by")
    return json_with_etag(request, _paginate(runs, page, _run_out), schema=RunList)


@router.get(
    "/admin/actions/{int:run_id}",
    response={200: RunOut, **ONE},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_run(request, run_id: int):
    """Status and result of one maintenance run."""
    require_admin(request.user)
    run = get_object_or_404(
        MaintenanceRun.objects.select_related("requested_by"), pk=run_id
    )
    return _run_out(run)


@router.post(
    "/admin/actions/{action}",
    response={202: RunOut, **errors(400, 401, 403, 409, 413, 422)},
    auth=SIGNED_IN,
    tags=["admin"],
)
def admin_run_start(
    request,
    action: Literal["cleanup", "reindex", "rerender"],
    payload: RunOptions | None = None,
):
    """Start cleanup, reindex or rerender in the background; poll its id."""
    require_admin(request.user)
    options = {
        k: v for k, v in (payload.dict() if payload else {}).items() if v is not None
    }
    try:
        run = maintenance.maintenance_request(
            actor=request.user, action=action, options=options
        )
    except maintenance.MaintenanceBusy as exc:
        raise Conflict(str(exc), details={"run": [str(exc.run.pk)]}) from None
    return Status(202, _run_out(run))
