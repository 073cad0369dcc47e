"""Take an upload: check what is cheap now, then render it here or in a background task.

Every upload is checked before anything is stored: paths, junk, duplicates,
counts, sizes, zip safety over the whole archive and the render budget (how
much Markdown one upload may render). Small uploads are processed in the
request; above `inline_render_bytes` of Markdown the upload is put in storage
and a background task (django-tasks: immediate in the embedded default, the
database queue with `deepwiki worker`) renders it, reporting its progress.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone
from django_tasks import task

from deepwiki.core.errors import Conflict, DomainError, NotFound
from deepwiki.wikis.errors import TooLarge
from deepwiki.wikis.intake import (
    IncomingFile,
    check_render_budget,
    intake_files,
    limits,
    read_zip,
)
from deepwiki.wikis.linking import page_url
from deepwiki.wikis.models import UploadJob, Wiki, WikiVersion
from deepwiki.wikis.permissions import is_admin, require_edit
from deepwiki.wikis.progress import progress_listening, progress_text
from deepwiki.wikis.services.imports import open_zip, wiki_import, wiki_update_files

log = logging.getLogger("deepwiki.uploads")
Status = UploadJob.Status
PROGRESS_KEY = "upload-progress:{}"
PROGRESS_TTL = 6 * 3600
_WRITE_EVERY = 0.5  # seconds between progress writes


@dataclass(slots=True)
class UploadOutcome:
    """What an upload did: a wiki (and version) now, or a job that will."""

    wiki: Wiki | None = None
    version: WikiVersion | None = None
    job: UploadJob | None = None


def upload_accept(
    *,
    actor,
    files: list[IncomingFile],
    archive=None,
    archive_name: str = "",
    wiki: Wiki | None = None,
    options: dict[str, Any],
    job_id: uuid.UUID | None = None,
) -> UploadOutcome:
    """Check an upload, then create a wiki (wiki=None) or upload into `wiki`.

    `options`: title, description, tags, visibility (new wiki) or mode and
    message (upload into). `job_id` names the progress the page polls.
    """
    if wiki is not None:
        require_edit(actor, wiki)
    if job_id is not None and UploadJob.objects.filter(pk=job_id).exists():
        raise Conflict("That upload id is already used; send a new one.")
    if archive is None:
        return _accept(actor, files, wiki, options, job_id, archive=None)
    with open_zip(archive, name=archive_name) as (zf, size):
        entries = read_zip(zf, archive_size=size)
        options = {**options, "source_name": archive_name}
        return _accept(actor, entries, wiki, options, job_id, archive=archive)


def _accept(actor, files, wiki, options, job_id, *, archive) -> UploadOutcome:
    checked = _precheck(files)
    markdown = check_render_budget(checked)
    if markdown <= limits()["inline_render_bytes"]:
        listener = _ProgressWriter(job_id, actor)
        try:
            return _process(actor, files, wiki, options, listener)
        finally:
            listener.clear()
    pages = sum(1 for f in checked if f.path.lower().endswith((".md", ".markdown")))
    job = UploadJob.objects.create(
        id=job_id or uuid.uuid4(),
        owner=actor,
        wiki=wiki,
        options=options,
        pages=pages,
    )
    job.staged_name = _stage(job, archive, checked)
    job.save(update_fields=["staged_name"])
    _enqueue(job)
    job.refresh_from_db()
    return UploadOutcome(wiki=job.wiki, job=job)


def _precheck(files: list[IncomingFile]) -> list[IncomingFile]:
    """Run the path, junk, duplicate, count and size checks on copies (no reads)."""
    copies = [IncomingFile(f.path, f.data, f.opener, f.size) for f in files]
    return intake_files(copies, strip_top=False).files


def _process(actor, files, wiki, options, listener) -> UploadOutcome:
    """Create or update the wiki now (in this process), reporting progress."""
    with progress_listening(listener):
        if wiki is None:
            created = wiki_import(
                owner=actor,
                files=files,
                title=options.get("title"),
                description=options.get("description"),
                tags=options.get("tags"),
                visibility=options.get("visibility"),
                source_name=options.get("source_name", ""),
            )
            return UploadOutcome(wiki=created)
        version = wiki_update_files(
            actor=actor,
            wiki=wiki,
            files=files,
            mode=options.get("mode") or "replace",
            message=options.get("message") or "",
        )
        refreshed = Wiki.objects.filter(pk=wiki.pk).first()
        if refreshed is None:  # deleted right after the upload
            raise NotFound("This wiki was deleted in the meantime.")
        return UploadOutcome(wiki=refreshed, version=version)


def _stage(job: UploadJob, archive, checked: list[IncomingFile]) -> str:
    """Put the upload in storage for the task (which may run on another machine)."""
    storage = storages["default"]
    name = f"uploads/{job.pk}.zip"
    if archive is not None:
        archive.seek(0)
        return storage.save(name, File(archive, name=name))
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as zf:
            for incoming in checked:
                zf.writestr(incoming.path, incoming.read())
        spool.seek(0)
        return storage.save(name, File(spool, name=name))


def _enqueue(job: UploadJob) -> None:
    try:
        result = upload_job_run.enqueue(str(job.pk))
    except Exception as exc:  # the queue itself is unavailable
        log.exception("could not enqueue upload job %s", job.pk)
        _finish(job.pk, Status.FAILED, error=_error_body(exc))
        _discard(job.staged_name)
        return
    UploadJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


@task()
def upload_job_run(job_id: str) -> dict:
    """Render and store one queued upload (its UploadJob row tracks the status)."""
    return upload_job_execute(job_id=uuid.UUID(job_id))


def upload_job_execute(*, job_id: uuid.UUID) -> dict:
    """Process a queued upload; record success or the reason it was refused."""
    job = UploadJob.objects.select_related("owner", "wiki").get(pk=job_id)
    UploadJob.objects.filter(pk=job_id).update(status=Status.RUNNING)
    listener = _ProgressWriter(job.pk, job.owner)
    try:
        outcome = _run_staged(job, listener)
    except (DomainError, ValidationError) as exc:
        _finish(job_id, Status.FAILED, error=_error_body(exc))
        return {"status": Status.FAILED}
    except Exception as exc:
        log.exception("upload job %s failed", job_id)
        _finish(job_id, Status.FAILED, error=_error_body(exc))
        return {"status": Status.FAILED}
    finally:
        listener.clear()
        _discard(job.staged_name)
    result = {
        "wiki_id": outcome.wiki.pk if outcome.wiki else None,
        "slug": outcome.wiki.slug if outcome.wiki else "",
        "version": outcome.version.number if outcome.version else 1,
        "url": page_url(outcome.wiki.slug, "") if outcome.wiki else "",
    }
    UploadJob.objects.filter(pk=job_id).update(wiki=outcome.wiki)
    _finish(job_id, Status.SUCCEEDED, result=result)
    return result


def _run_staged(job: UploadJob, listener) -> UploadOutcome:
    options = dict(job.options)
    if options.get("mode") and job.wiki is None:
        raise NotFound("The wiki was deleted before the upload was processed.")
    with storages["default"].open(job.staged_name, "rb") as fh:
        with open_zip(fh, name=options.get("source_name") or "upload.zip") as (zf, _):
            files = read_zip(zf)
            return _process(job.owner, files, job.wiki, options, listener)


def _finish(job_id, status: str, *, result=None, error=None) -> None:
    UploadJob.objects.filter(pk=job_id).update(
        status=status,
        result=result or {},
        error=error or {},
        finished_at=timezone.now(),
    )


def _discard(name: str) -> None:
    if name:
        try:
            storages["default"].delete(name)
        except Exception:  # noqa: BLE001 - an orphan is only disk space
            log.warning("could not delete staged upload %s", name, exc_info=True)


def _error_body(exc: BaseException) -> dict:
    """The error shape for a refused upload (the poll shows it like any error)."""
    if isinstance(exc, DomainError):
        return {"error": exc.message, "code": exc.code, "details": exc.details}
    if isinstance(exc, ValidationError):
        details = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        return {
            "error": " ".join(exc.messages),
            "code": "VALIDATION_ERROR",
            "details": details,
        }
    return {
        "error": "The upload could not be processed. Nothing was stored.",
        "code": "INTERNAL_ERROR",
        "details": {},
    }


class _ProgressWriter:
    """Enforce the render budget; keep the progress in the shared cache.

    The cache, not the database: the rendering runs inside the import's
    transaction, where a row update would stay invisible until the end.
    Without a job id (a small upload nobody polls) only the budget counts.
    """

    def __init__(self, job_id, owner) -> None:
        self.key = PROGRESS_KEY.format(job_id) if job_id else None
        self.owner_id = owner.pk
        self.phase, self.last = "", 0.0
        self.budget, self.spent = limits()["render_seconds"], 0.0

    def __call__(self, phase: str, done: int, total: int, seconds: float) -> None:
        self.spent += seconds
        if self.spent > self.budget:
            raise TooLarge(
                f"The pages take too long to render (more than {self.budget} "
                f"seconds, at page {done:,} of {total:,}). Split the upload into "
                "smaller ones.",
                rule="render-budget",
            )
        if self.key is None:
            return
        now = time.monotonic()
        if phase == self.phase and done < total and now - self.last < _WRITE_EVERY:
            return
        self.phase, self.last = phase, now
        entry = {"owner": self.owner_id, "phase": phase, "done": done, "total": total}
        cache.set(self.key, entry, PROGRESS_TTL)

    def clear(self) -> None:
        if self.key is not None:
            cache.delete(self.key)


def upload_job_status(*, actor, job_id: uuid.UUID) -> dict:
    """Return the status and progress of an upload (its owner and admins only)."""
    job = UploadJob.objects.filter(pk=job_id).first()
    live = cache.get(PROGRESS_KEY.format(job_id)) or {}
    owner_id = job.owner_id if job is not None else live.get("owner")
    if owner_id is None or (owner_id != actor.pk and not is_admin(actor)):
        raise NotFound("No such upload.")
    status = job.status if job is not None else Status.RUNNING
    phase, done, total = (
        live.get("phase", ""),
        live.get("done", 0),
        live.get("total", 0),
    )
    if job is not None and status == Status.QUEUED:
        phase, done, total = "queued", 0, job.pages
    return {
        "id": str(job_id),
        "status": status,
        "phase": phase,
        "done": done,
        "total": total,
        "message": _status_text(status, phase, done, total),
        "result": job.result if job is not None else {},
        "error": job.error or None if job is not None else None,
    }


def _status_text(status: str, phase: str, done: int, total: int) -> str:
    if status == Status.SUCCEEDED:
        return "Done."
    if status == Status.FAILED:
        return "The upload was refused. Nothing was stored."
    if phase == "queued":
        return "Waiting for a free worker…"
    if not phase:
        return "Starting…"
    return progress_text(phase, done, total)
