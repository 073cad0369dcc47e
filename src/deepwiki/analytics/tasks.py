"""Background tasks (django-tasks): immediate in the embedded default, a DB queue otherwise."""

from __future__ import annotations

from django_tasks import task


@task()
def run_maintenance(run_id: int) -> dict:
    """Run one admin-requested maintenance action (its run row tracks the status)."""
    from deepwiki.analytics.admin_services import maintenance_execute

    return maintenance_execute(run_id=run_id)
