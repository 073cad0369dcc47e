"""Maintenance actions run as background tasks with a visible status and result."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from deepwiki.activity.models import Activity, MaintenanceRun
from deepwiki.administration import maintenance as admin_services
from deepwiki.ops.metrics import TASKS
from deepwiki.wikis.models import Blob

pytestmark = pytest.mark.django_db
Status = MaintenanceRun.Status


def orphan_blob(data: bytes = b"nobody uses me") -> Blob:
    """A stored object with a Blob row that no file or version refers to."""
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    blob = Blob.objects.create(sha256=sha, size=len(data), content_type="text/plain")
    storages["default"].save(blob.storage_name, ContentFile(data))
    return blob


def counter(action: str, result: str) -> float:
    return TASKS.labels(action, result)._value.get()


def test_cleanup_removes_orphans_and_reports_it(signed_in, admin_user, make_wiki, user):
    make_wiki(user, title="Kept")
    blob = orphan_blob()
    before = counter("cleanup", "succeeded")
    response = signed_in(admin_user).post("/admin/maintenance", {"action": "cleanup"})
    run = MaintenanceRun.objects.get()
    assert response["Location"] == f"/admin/maintenance/{run.pk}"
    assert run.status == Status.SUCCEEDED and run.requested_by == admin_user
    assert run.result["orphan_rows"] == 1 and run.result["bytes"] == blob.size
    assert run.result["removed"] == 1
    assert run.started_at and run.finished_at and run.task_id
    assert not Blob.objects.filter(pk=blob.pk).exists()
    assert not storages["default"].exists(blob.storage_name)
    assert Blob.objects.count() == 1  # the wiki's page stays
    assert counter("cleanup", "succeeded") == before + 1
    page = signed_in(admin_user).get(f"/admin/maintenance/{run.pk}").content.decode()
    assert "Succeeded" in page and "Orphan rows" in page


def test_cleanup_preview_removes_nothing(admin_user):
    blob = orphan_blob()
    run = admin_services.maintenance_request(
        actor=admin_user, action="cleanup", options={"dry_run": True}
    )
    assert run.status == Status.SUCCEEDED and run.result["dry_run"] is True
    assert run.result["orphan_rows"] == 1
    assert Blob.objects.filter(pk=blob.pk).exists()


def test_reindex_and_rerender_report_counts(admin_user, make_wiki, user):
    make_wiki(user, title="One", files={"index.md": "# One\n", "two.md": "# Two\n"})
    reindex = admin_services.maintenance_request(actor=admin_user, action="reindex")
    assert reindex.status == Status.SUCCEEDED
    assert reindex.result["wikis"] == 1 and reindex.result["files"] == 2
    stale = admin_services.maintenance_request(actor=admin_user, action="rerender")
    assert stale.result["files"] == 0  # everything is already current
    forced = admin_services.maintenance_request(
        actor=admin_user, action="rerender", options={"force": True}
    )
    assert forced.result["files"] == 2 and forced.options == {"force": True}


def test_failure_is_recorded_with_a_message_and_counted(admin_user, monkeypatch):
    def broken(**kwargs):
        raise OSError("storage is read-only")

    actions = admin_services.MAINTENANCE_ACTIONS
    monkeypatch.setitem(actions, "cleanup", (broken, actions["cleanup"][1]))
    before = counter("cleanup", "failed")
    run = admin_services.maintenance_request(actor=admin_user, action="cleanup")
    assert run.status == Status.FAILED
    assert run.error == "OSError: storage is read-only"
    assert counter("cleanup", "failed") == before + 1


def test_status_endpoint_and_list(api_as, admin_user):
    client = api_as(admin_user)
    started = client.post("/api/admin/actions/reindex", {})
    assert started.status_code == 202
    run_id = started.json()["id"]
    status = client.get(f"/api/admin/actions/{run_id}").json()
    assert (
        status["status"] == "succeeded" and status["requested_by"] == "root@example.com"
    )
    assert status["label"] == "Rebuild the search index"
    assert client.get("/api/admin/actions").json()["total"] == 1
    assert client.get("/api/admin/actions/999999").status_code == 404
    assert client.post("/api/admin/actions/format-disk", {}).status_code == 422
    wrong = client.post("/api/admin/actions/reindex", {"dry_run": True})
    assert wrong.status_code == 422 and "dry_run" in wrong.json()["details"]


def test_same_action_cannot_run_twice_at_once(api_as, admin_user):
    MaintenanceRun.objects.create(
        action="reindex", status=Status.RUNNING, requested_by=admin_user
    )
    response = api_as(admin_user).post("/api/admin/actions/reindex", {})
    assert response.status_code == 409
    assert MaintenanceRun.objects.count() == 1


def test_starting_a_task_is_in_the_admin_log(admin_user):
    admin_services.maintenance_request(actor=admin_user, action="reindex")
    event = Activity.objects.get(action=Activity.Action.MAINTENANCE_STARTED)
    assert event.details["task"] == "reindex"


@pytest.mark.django_db(transaction=True)
def test_database_queue_runs_the_task_in_a_worker(settings, admin_user):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    blob = orphan_blob(b"queued orphan")
    run = admin_services.maintenance_request(actor=admin_user, action="cleanup")
    assert run.status == Status.QUEUED and run.task_id
    assert Blob.objects.filter(pk=blob.pk).exists()  # nothing ran yet
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    run.refresh_from_db()
    assert run.status == Status.SUCCEEDED and run.result["orphan_rows"] == 1
    assert not Blob.objects.filter(pk=blob.pk).exists()


def test_a_run_nobody_picks_up_says_a_worker_is_needed(signed_in, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    run = MaintenanceRun.objects.create(action="reindex", requested_by=admin_user)
    client = signed_in(admin_user)
    page = client.get(f"/admin/maintenance/{run.pk}").content.decode()
    assert "data-run-poll" in page and "deepwiki worker" not in page
    MaintenanceRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    page = client.get(f"/admin/maintenance/{run.pk}").content.decode()
    assert "deepwiki worker" in page
