"""The one upload parser: a multipart request (HTML form or API) into the service's input.

Both transports send the same request: `files` (several, with a parallel
`paths` list of relative paths when folders were chosen) or one `.zip` (as
`archive`, or as the only entry of `files`), and the options of the page:
title, description, tags and visibility for a new wiki; mode and message
for an upload into one; `upload_id`, a UUID the page chose so that it can
poll the progress. Everything is checked here once; refusals are domain
errors, which each transport answers in its own way (JSON or the form page).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http.multipartparser import MultiPartParserError
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from deepwiki.core.errors import RateLimited
from deepwiki.wikis.errors import MalformedUpload, TooLarge
from deepwiki.wikis.intake import IncomingFile, human_size, limits
from deepwiki.wikis.models import Wiki
from deepwiki.wikis.services.uploads import (
    UploadOutcome,
    upload_accept,
    upload_job_status,
)

# Uploads are the most expensive request there is: per user (or, signed out,
# per client address), the same budget on the HTML pages and the API.
UPLOAD_RATE = settings.DEEPWIKI_UPLOAD_RATE
_TEXT_FIELDS = {
    "title": 200,
    "description": 2000,
    "tags": 1100,
    "visibility": 20,
    "mode": 20,
    "message": 500,
}
_NEW_WIKI = ("title", "description", "tags", "visibility")
_INTO_WIKI = ("mode", "message")
MODES = ("replace", "merge")


@dataclass(slots=True)
class ParsedUpload:
    """An upload request after parsing: what the upload service needs."""

    files: list[IncomingFile] = field(default_factory=list)
    archive: Any = None
    archive_name: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    job_id: uuid.UUID | None = None


def upload_from_request(request, *, wiki: Wiki | None = None) -> UploadOutcome:
    """Parse an upload request and hand it to the service (create or upload into)."""
    check_upload_rate(request)
    parsed = parse_upload(request, into=wiki is not None)
    return upload_accept(
        actor=request.user,
        wiki=wiki,
        files=parsed.files,
        archive=parsed.archive,
        archive_name=parsed.archive_name,
        options=parsed.options,
        job_id=parsed.job_id,
    )


def job_body(*, actor, job_id: uuid.UUID) -> dict:
    """An upload job as both transports show it, with the URL the page polls."""
    job = upload_job_status(actor=actor, job_id=job_id)
    return {**job, "status_url": f"/api/uploads/{job_id}"}


def check_upload_rate(request) -> None:
    """Count this upload against the caller's budget; refuse (429) past it."""
    if is_ratelimited(
        request,
        group="deepwiki.uploads",
        key="user_or_ip",
        rate=UPLOAD_RATE,
        method=ALL,
        increment=True,
    ):
        raise RateLimited(
            "You have uploaded a lot in a short time. Wait a few minutes, then "
            "try again.",
            details={"rule": ["upload-rate-limit"]},
        )


def parse_upload(request, *, into: bool) -> ParsedUpload:
    """Read and check a multipart upload request; raise a domain error if malformed."""
    post, uploads = _multipart(request)
    files = uploads.getlist("files")
    archives = uploads.getlist("archive")
    paths = post.getlist("paths")
    parsed = ParsedUpload(
        options=_options(post, _INTO_WIKI if into else _NEW_WIKI),
        job_id=_job_id(post.get("upload_id")),
    )
    if files and archives:
        raise MalformedUpload(
            "Upload either files or a .zip archive, not both.", rule="files-and-zip"
        )
    if len(archives) > 1:
        raise MalformedUpload("Upload one .zip archive at a time.", rule="one-zip")
    if not files and not archives:
        raise MalformedUpload(
            "No files were uploaded. Choose files, a folder or a .zip archive.",
            rule="no-files",
        )
    if paths and len(paths) != len(files):
        raise MalformedUpload(
            f"Got {len(files)} files but {len(paths)} paths; send one path per file.",
            rule="paths-mismatch",
        )
    names = paths or [upload.name for upload in files]
    if archives or (len(files) == 1 and names[0].lower().endswith(".zip")):
        parsed.archive = archives[0] if archives else files[0]
        parsed.archive_name = archives[0].name if archives else names[0]
        return parsed
    parsed.files = [
        IncomingFile(name, opener=_reader(upload), size=upload.size)
        for name, upload in zip(names, files, strict=True)
    ]
    return parsed


def _multipart(request):
    """Return (POST, FILES), turning every way a body can be malformed into a 4xx."""
    if request.content_type != "multipart/form-data":
        raise MalformedUpload(
            "Send the upload as multipart/form-data.", rule="not-multipart"
        )
    try:
        return request.POST, request.FILES
    except TooManyFilesSent as exc:
        raise TooLarge(
            f"The upload has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files;"
            f" the limit is {settings.DATA_UPLOAD_MAX_NUMBER_FILES}.",
            rule="file-count-limit",
        ) from exc
    except TooManyFieldsSent as exc:
        raise TooLarge(
            "The upload has too many form fields.", rule="field-count-limit"
        ) from exc
    except RequestDataTooBig as exc:
        raise TooLarge(
            f"The upload is larger than {human_size(limits()['upload_bytes'])}.",
            rule="upload-size-limit",
        ) from exc
    except (MultiPartParserError, SuspiciousOperation, ValueError) as exc:
        raise MalformedUpload(
            f"The multipart body could not be read ({exc}).", rule="malformed-body"
        ) from exc


def _options(post, names: tuple[str, ...]) -> dict[str, Any]:
    """The text options of the request, each within its length."""
    options: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in names:
        value = post.get(name)
        if value is None:
            continue
        if len(value) > _TEXT_FIELDS[name]:
            errors[name] = [f"Use at most {_TEXT_FIELDS[name]} characters."]
        options[name] = value
    if errors:
        raise ValidationError(errors)
    for name in ("title", "description", "tags"):
        if options.get(name) == "":
            options[name] = None  # empty form fields mean "not given"
    if "mode" in names:
        options["mode"] = options.get("mode") or "replace"
        if options["mode"] not in MODES:
            raise ValidationError({"mode": ["Choose “replace” or “merge”."]})
    return options


def _job_id(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ValidationError(
            {"upload_id": ["Send a UUID (or nothing) as the upload id."]}
        ) from exc


def _reader(upload):
    def read() -> bytes:
        upload.seek(0)
        return upload.read()

    return read
