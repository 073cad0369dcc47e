"""Admin writes: site settings and maintenance runs (queued as background tasks)."""

from __future__ import annotations

import importlib
import json
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from deepwiki.analytics.access import require_admin
from deepwiki.analytics.models import Activity, MaintenanceRun
from deepwiki.analytics.services import activity_record
from deepwiki.core.models import SiteSettings

log = logging.getLogger("deepwiki.maintenance")
Kind = MaintenanceRun.Kind
Status = MaintenanceRun.Status
SETTINGS_FIELDS = (
    "site_name",
    "welcome_message",
    "registration_open",
    "default_visibility",
)
# action -> (module, function, allowed options with their defaults)
MAINTENANCE_ACTIONS: dict[str, tuple[str, str, dict]] = {
    Kind.CLEANUP: ("deepwiki.wikis.services", "blobs_cleanup", {"dry_run": False}),
    Kind.REINDEX: ("deepwiki.search.indexer", "rebuild", {}),
    Kind.RERENDER: ("deepwiki.wikis.services", "rerender_stale", {"force": False}),
}
# A run still "active" after this long is assumed lost (e.g. its worker died).
ACTIVE_FOR = timedelta(hours=1)


class MaintenanceBusy(Exception):
    """The same maintenance action is already queued or running."""

    def __init__(self, run: MaintenanceRun) -> None:
        super().__init__(
            f"{run.get_action_display()} is already {run.status} (run #{run.pk})."
        )
        self.run = run


def site_settings_update(*, actor, data: dict) -> SiteSettings:
    """Change the site settings; admins only; every reader sees it at once."""
    require_admin(actor)
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({k: ["Unknown setting."] for k in sorted(unknown)})
    with transaction.atomic():
        current, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        changed = sorted(k for k, v in data.items() if getattr(current, k) != v)
        for key, value in data.items():
            setattr(current, key, value)
        current.full_clean()
        current.save()
        if changed:
            activity_record(
                actor=actor,
                action=Activity.Action.SETTINGS_CHANGED,
                details={"changed": changed},
            )
    return current


def _clean_options(action: str, options: dict | None) -> dict:
    allowed = MAINTENANCE_ACTIONS[action][2]
    options = options or {}
    unknown = set(options) - set(allowed)
    if unknown:
        raise ValidationError(
            {k: ["Not an option of this action."] for k in sorted(unknown)}
        )
    return {key: bool(options.get(key, default)) for key, default in allowed.items()}


def maintenance_request(
    *, actor, action: str, options: dict | None = None
) -> MaintenanceRun:
    """Queue a maintenance action as a background task and return its run record."""
    require_admin(actor)
    if action not in MAINTENANCE_ACTIONS:
        raise ValidationError(
            {"action": [f"Unknown action. Use one of: {', '.join(Kind.values)}."]}
        )
    options = _clean_options(action, options)
    active = MaintenanceRun.objects.filter(
        action=action,
        status__in=[Status.QUEUED, Status.RUNNING],
        created_at__gte=timezone.now() - ACTIVE_FOR,
    ).first()
    if active is not None:
        raise MaintenanceBusy(active)
    run = MaintenanceRun.objects.create(
        action=action, options=options, requested_by=actor
    )
    activity_record(
        actor=actor,
        action=Activity.Action.MAINTENANCE_STARTED,
        details={"task": action, "run": run.pk, **options},
    )
    from deepwiki.analytics.tasks import run_maintenance

    try:
        result = run_maintenance.enqueue(run.pk)
    except Exception as exc:  # the queue itself is unavailable
        log.exception("could not enqueue maintenance run %s", run.pk)
        _finish(run.pk, Status.FAILED, error=f"Could not queue the task: {exc}"[:1000])
    else:
        MaintenanceRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def _finish(
    run_id: int, status: str, *, result: dict | None = None, error: str = ""
) -> None:
    MaintenanceRun.objects.filter(pk=run_id).update(
        status=status, result=result or {}, error=error, finished_at=timezone.now()
    )


def _json_safe(value) -> dict:
    """A result fit for a JSON column and a status page: long lists become counts."""
    data = json.loads(json.dumps(value, default=str))
    if not isinstance(data, dict):
        data = {"result": data}
    summary = {}
    for key, item in data.items():
        if isinstance(item, list):
            summary[key] = len(item)
            if item:
                summary[f"{key}_examples"] = ", ".join(map(str, item[:5])) + (
                    " …" if len(item) > 5 else ""
                )
        else:
            summary[key] = item
    return summary


def maintenance_execute(*, run_id: int) -> dict:
    """Run a queued maintenance action and store its status and result."""
    from deepwiki.ops.metrics import TASKS

    run = MaintenanceRun.objects.get(pk=run_id)
    MaintenanceRun.objects.filter(pk=run_id).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    module_name, func_name, _ = MAINTENANCE_ACTIONS[run.action]
    try:
        func = getattr(importlib.import_module(module_name), func_name, None)
        if func is None:
            raise RuntimeError(
                f"{module_name}.{func_name} is not available in this build."
            )
        result = _json_safe(func(**run.options))
    except Exception as exc:
        log.exception("maintenance run %s (%s) failed", run_id, run.action)
        _finish(run_id, Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000])
        TASKS.labels(run.action, "failed").inc()
        raise
    _finish(run_id, Status.SUCCEEDED, result=result)
    TASKS.labels(run.action, "succeeded").inc()
    log.info("maintenance run %s (%s) finished: %s", run_id, run.action, result)
    return result
