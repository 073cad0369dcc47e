"""Maintenance an admin starts: clean orphaned files, rebuild search, re-render.

Each run is a row (status, result) and a background task (django-tasks:
immediate in the embedded default, the database queue with `deepwiki worker`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from deepwiki.activity.models import Activity, MaintenanceRun
from deepwiki.activity.services import activity_record
from deepwiki.ops.metrics import TASKS
from deepwiki.search.indexer import rebuild
from deepwiki.wikis.permissions import require_admin
from deepwiki.wikis.services import blobs_cleanup, rerender_stale

log = logging.getLogger("deepwiki.maintenance")
Kind = MaintenanceRun.Kind
Status = MaintenanceRun.Status
# action -> (function, allowed options with their defaults)
MAINTENANCE_ACTIONS: dict[str, tuple[Callable[..., object], dict]] = {
    Kind.CLEANUP: (blobs_cleanup, {"dry_run": False}),
    Kind.REINDEX: (rebuild, {}),
    Kind.RERENDER: (rerender_stale, {"force": False}),
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


def _clean_options(action: str, options: dict | None) -> dict:
    allowed = MAINTENANCE_ACTIONS[action][1]
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

    run = MaintenanceRun.objects.get(pk=run_id)
    MaintenanceRun.objects.filter(pk=run_id).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    func, _ = MAINTENANCE_ACTIONS[run.action]
    try:
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


@task()
def run_maintenance(run_id: int) -> dict:
    """Run one admin-requested maintenance action (its run row tracks the status)."""
    return maintenance_execute(run_id=run_id)
