"""Upload answers of the API and /api/uploads/{id}, the progress an upload page polls.

The request is parsed by the one upload parser (`deepwiki.transport.uploads`);
this module only shapes the answer: 201/200 with the wiki (and version) when
the upload was processed at once, 202 with a job to poll when a background
task renders it.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import JsonResponse
from ninja import Router, Schema

from deepwiki.api.auth import SIGNED_IN
from deepwiki.api.schemas import ErrorOut, errors
from deepwiki.api.serializers import version_out, wiki_out
from deepwiki.transport.uploads import job_body, upload_from_request
from deepwiki.wikis.models import Wiki

router = Router(tags=["uploads"])


class UploadJobOut(Schema):
    id: uuid.UUID
    status: Literal["queued", "running", "succeeded", "failed"]
    phase: str
    done: int
    total: int
    message: str
    result: dict[str, Any]
    error: ErrorOut | None
    status_url: str


def upload_answer(request, *, wiki: Wiki | None = None) -> JsonResponse:
    """Run an upload request and answer it (201 new wiki, 200 update, 202 queued)."""
    outcome = upload_from_request(request, wiki=wiki)
    if outcome.job is not None:
        job = job_body(actor=request.user, job_id=outcome.job.pk)
        return JsonResponse({"job": job}, status=202)
    if wiki is None:
        return JsonResponse(wiki_out(outcome.wiki, request.user), status=201)
    body = {
        "version": version_out(outcome.version),
        "wiki": wiki_out(outcome.wiki, request.user),
    }
    return JsonResponse(body, status=200)


@router.get(
    "/{job_id}", auth=SIGNED_IN, response={200: UploadJobOut, **errors(401, 404, 422)}
)
def upload_status(request, job_id: uuid.UUID):
    """Status and progress of an upload ("Rendering page 312 of 1,501").

    `result` holds `slug`, `url` and `version` once it succeeded; `error` the
    reason (the error shape) when it was refused. Only its uploader may read it.
    """
    response = JsonResponse(job_body(actor=request.user, job_id=job_id))
    response["Cache-Control"] = "no-store"
    return response
