"""Turn a multipart upload request into a wiki import or update."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from deepwiki.api.serializers import version_out, wiki_out
from deepwiki.wikis import services
from deepwiki.wikis.errors import MalformedUpload, TooLarge
from deepwiki.wikis.intake import IncomingFile, human_size, limits, read_zip
from deepwiki.wikis.models import Wiki
from deepwiki.wikis.permissions import require_edit
from deepwiki.wikis.services.imports import open_zip


def _reader(uploaded):
    def read() -> bytes:
        uploaded.seek(0)
        return uploaded.read()

    return read


def _check_request_size(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = limits()["upload_bytes"]
    if length > limit:
        raise TooLarge(
            f"The upload is {human_size(length)}; the limit is {human_size(limit)}.",
            rule="upload-size-limit",
        )


def _form_value(request, name: str, max_len: int) -> str | None:
    value = request.POST.get(name)
    if value is None:
        return None
    if len(value) > max_len:
        raise ValidationError({name: [f"Use at most {max_len} characters."]})
    return value


def _incoming(request) -> tuple[list, list[IncomingFile]]:
    """Return the uploaded file objects and IncomingFiles with their relative paths."""
    uploads = request.FILES.getlist("files")
    if not uploads:
        raise MalformedUpload(
            "No files were uploaded. Send them as multipart field “files”.",
            rule="no-files",
        )
    paths = request.POST.getlist("paths")
    if paths and len(paths) != len(uploads):
        raise MalformedUpload(
            f"Got {len(uploads)} files but {len(paths)} paths; send one path per file.",
            rule="paths-mismatch",
        )
    names = paths or [u.name for u in uploads]
    return uploads, [
        IncomingFile(name, opener=_reader(u), size=u.size)
        for name, u in zip(names, uploads, strict=True)
    ]


def upload_files_from_request(request, *, wiki: Wiki | None = None) -> dict:
    """Create a wiki (wiki=None) or upload into one; return the response body."""
    _check_request_size(request)
    if wiki is not None:
        require_edit(request.user, wiki)
    uploads, files = _incoming(request)
    is_zip = len(files) == 1 and files[0].path.lower().endswith(".zip")
    if wiki is None:
        meta = {
            "title": _form_value(request, "title", 200),
            "description": _form_value(request, "description", 2000),
            "tags": _form_value(request, "tags", 1100),
            "visibility": _form_value(request, "visibility", 20),
        }
        if is_zip:
            name = files[0].path
            created = services.wiki_import_archive(
                owner=request.user, archive=uploads[0], name=name, **meta
            )
        else:
            created = services.wiki_import(owner=request.user, files=files, **meta)
        return wiki_out(created, request.user)
    mode = _form_value(request, "mode", 20) or "replace"
    message = _form_value(request, "message", 500) or ""
    if is_zip:
        with open_zip(uploads[0], name=files[0].path) as (zf, size):
            files = read_zip(zf, archive_size=size)
            version = services.wiki_update_files(
                actor=request.user, wiki=wiki, files=files, mode=mode, message=message
            )
    else:
        version = services.wiki_update_files(
            actor=request.user, wiki=wiki, files=files, mode=mode, message=message
        )
    return {
        "version": version_out(version),
        "wiki": wiki_out(Wiki.objects.get(pk=wiki.pk), request.user),
    }
