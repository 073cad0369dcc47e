"""Admin pages of the app's own UI: overview, settings, maintenance, analytics, delete user."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from deepwiki.accounts.models import Role, User
from deepwiki.activity.models import Activity, MaintenanceRun
from deepwiki.administration import maintenance, site_settings
from deepwiki.administration import users as user_admin
from deepwiki.analytics.reports import PERIODS, REPORTS, views_per_day
from deepwiki.analytics.tables import bar_chart_svg, csv_response, table_rows
from deepwiki.core.models import SiteSettings
from deepwiki.web.forms.analytics import (
    MaintenanceForm,
    SiteSettingsForm,
    UserFilterForm,
)
from deepwiki.wikis.models import Blob, Wiki
from deepwiki.wikis.permissions import is_admin

OVERVIEW_ROWS = 5
REPORT_PAGE_SIZE = 50


def admin_required(view):
    """Signed-out people go to sign in; signed-in non-admins get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@admin_required
def admin_home(request):
    """The admin landing page: people, recent problems, maintenance, shortcuts."""
    day_ago = timezone.now() - timedelta(days=1)
    users = User.objects.all()
    context = {
        "user_count": users.filter(is_active=True).count(),
        "admin_count": users.filter(is_active=True, role=Role.ADMIN).count(),
        "inactive_count": users.filter(is_active=False).count(),
        "failed_logins": Activity.objects.filter(
            action=Activity.Action.LOGIN_FAILED, created_at__gte=day_ago
        ).count(),
        "wiki_count": Wiki.objects.count(),
        "stored_bytes": Blob.objects.aggregate(total=Sum("size"))["total"] or 0,
        "runs": MaintenanceRun.objects.select_related("requested_by")[:OVERVIEW_ROWS],
        "site_settings": SiteSettings.current(),
    }
    return render(request, "admin_ui/home.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def admin_settings(request):
    """Edit the site name, welcome message, registration and default visibility."""
    current, _ = SiteSettings.objects.get_or_create(pk=1)
    form = SiteSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            site_settings.site_settings_update(actor=request.user, data=data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Site settings saved.")
            return redirect("admin_settings")
    return render(request, "admin_ui/settings.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def admin_maintenance(request):
    """Start maintenance tasks and see how earlier runs went."""
    if request.method == "POST":
        form = MaintenanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose one of the maintenance actions.")
            return redirect("admin_maintenance")
        try:
            run = maintenance.maintenance_request(
                actor=request.user,
                action=form.cleaned_data["action"],
                options=form.options(),
            )
        except maintenance.MaintenanceBusy as exc:
            messages.error(request, str(exc))
            return redirect("admin_maintenance_run", run_id=exc.run.pk)
        return redirect("admin_maintenance_run", run_id=run.pk)
    runs = MaintenanceRun.objects.select_related("requested_by")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "admin_ui/maintenance.html",
        {"page": page, "kinds": MaintenanceRun.Kind},
    )


@admin_required
def admin_maintenance_run(request, run_id: int):
    """One run: status, options, result or error (the page polls until it ends)."""
    run = get_object_or_404(
        MaintenanceRun.objects.select_related("requested_by"), pk=run_id
    )
    return render(request, "admin_ui/maintenance_run.html", {"run": run})


@admin_required
@require_http_methods(["GET", "POST"])
def admin_user_delete(request, user_id: int):
    """Confirm, then delete an account (its wikis and versions stay)."""
    target = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        try:
            user_admin.user_delete(actor=request.user, user=target)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect("user_list")
        messages.success(request, f"Deleted the account {target.email}.")
        return redirect("user_list")
    context = {
        "target": target,
        "wiki_count": Wiki.objects.filter(owner=target).count(),
    }
    return render(request, "admin_ui/user_delete.html", context)


def _days(request, default: int = 30) -> int:
    try:
        days = int(request.GET.get("days", default))
    except ValueError:
        return default
    return days if days in PERIODS else default


@admin_required
def admin_analytics(request):
    """Every analytics table in short, with the views-per-day chart on top."""
    days = _days(request)
    points = views_per_day(days)
    sections = []
    for report in REPORTS.values():
        report_days = report.default_days if report.key == "stale" else days
        rows = list(report.rows(report_days)[:OVERVIEW_ROWS])
        sections.append(
            {"report": report, "days": report_days, "rows": table_rows(report, rows)}
        )
    context = {
        "days": days,
        "periods": PERIODS,
        "chart": bar_chart_svg(points, label=f"Page views per day, last {days} days"),
        "points": points,
        "total_views": sum(v for _, v in points),
        "sections": sections,
    }
    return render(request, "analytics/overview.html", context)


@admin_required
def admin_report(request, key: str):
    """One analytics table in full, paginated, or as a CSV download (?format=csv)."""
    report = REPORTS.get(key)
    if report is None:
        raise Http404("No such report.")
    days = report.clean_days(request.GET.get("days"))
    rows = report.rows(days)
    if request.GET.get("format") == "csv":
        return csv_response(report, rows.iterator(chunk_size=2000), days=days)
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "report": report,
        "days": days,
        "page": page,
        "rows": table_rows(report, page.object_list),
    }
    return render(request, "analytics/report.html", context)


@admin_required
def user_list(request):
    """Admin: list, search and filter users (role, status, delete are per row)."""
    form = UserFilterForm(request.GET or None)
    users = User.objects.annotate(wiki_count=Count("wikis")).order_by("email")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            users = users.filter(Q(email__icontains=q) | Q(name__icontains=q))
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
        if form.cleaned_data["status"]:
            users = users.filter(is_active=form.cleaned_data["status"] == "active")
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "roles": Role, "query": query.urlencode()},
    )


@admin_required
def user_update(request, user_id: int):
    """Admin: change a user's role or active flag; takes effect on their next request."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = get_object_or_404(User, pk=user_id)
    try:
        if "role" in request.POST:
            user_admin.user_set_role(
                actor=request.user, user=user, role=request.POST["role"]
            )
        if "is_active" in request.POST:
            user_admin.user_set_active(
                actor=request.user, user=user, active=request.POST["is_active"] == "1"
            )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, f"Updated {user.email}.")
    # Back to the same search and page; re-encoded, so it can only be a query.
    back = QueryDict(request.POST.get("next", "").lstrip("?")).urlencode()
    return redirect(reverse("user_list") + (f"?{back}" if back else ""))
