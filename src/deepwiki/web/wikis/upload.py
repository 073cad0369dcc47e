"""Upload pages: a new wiki, or new files into an existing one.

With JavaScript, upload.js sends the files with their folder paths (and shows
progress); without it, the same forms post here as plain multipart forms.
Either way the services decide; this module only shapes input and output.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from deepwiki.core.errors import DomainError
from deepwiki.core.models import SiteSettings
from deepwiki.transport.errors import describe, error_body, wants_json
from deepwiki.web.forms.wikis import UploadForm, UploadIntoForm
from deepwiki.web.wikis.access import wiki_for_edit, wiki_page_view
from deepwiki.wikis import services
from deepwiki.wikis.intake import read_zip
from deepwiki.wikis.services import IncomingFile
from deepwiki.wikis.services.imports import open_zip


@login_required
def wiki_upload(request):
    """Create a wiki from files, a folder or a .zip archive."""
    initial = {"visibility": SiteSettings.current().default_visibility}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meta = {
            "title": data["title"] or None,
            "description": data["description"] or None,
            "tags": data["tags"] or None,
            "visibility": data["visibility"],
        }
        archive = data["archive"] or lone_zip(data["files"])
        try:
            if archive:
                wiki = services.wiki_import_archive(
                    owner=request.user, archive=archive, name=archive.name, **meta
                )
            else:
                wiki = services.wiki_import(
                    owner=request.user, files=incoming_files(request), **meta
                )
        except (DomainError, ValidationError) as exc:
            return _failed(request, form, exc, "wikis/upload.html", {})
        return _succeeded(request, wiki, f"Your wiki “{wiki.title}” is ready.")
    return _form_page(request, form, "wikis/upload.html", {})


@wiki_page_view
def wiki_upload_into(request, slug: str):
    """Add or replace files of an existing wiki (owner and admins)."""
    wiki = wiki_for_edit(request, slug)
    form = UploadIntoForm(request.POST or None, request.FILES or None)
    extra = {"wiki": wiki, "can_edit": True}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _update_files(request, wiki, data)
        except (DomainError, ValidationError) as exc:
            return _failed(request, form, exc, "wikis/upload_into.html", extra)
        wiki.refresh_from_db()
        return _succeeded(
            request,
            wiki,
            f"Uploaded. “{wiki.title}” is now at version {wiki.current_version}.",
        )
    return _form_page(request, form, "wikis/upload_into.html", extra)


def _update_files(request, wiki, data: dict) -> None:
    """Hand the upload to the service; a zip is read while it is open."""
    update = {
        "actor": request.user,
        "wiki": wiki,
        "mode": data["mode"],
        "message": data["message"],
    }
    archive = data["archive"] or lone_zip(data["files"])
    if not archive:
        services.wiki_update_files(files=incoming_files(request), **update)
        return
    with open_zip(archive, name=archive.name) as (zf, size):
        services.wiki_update_files(files=read_zip(zf, archive_size=size), **update)


def lone_zip(files: list):
    """A single .zip chosen with the files picker is meant as an archive."""
    if len(files) == 1 and files[0].name.lower().endswith(".zip"):
        return files[0]
    return None


def incoming_files(request) -> list[IncomingFile]:
    """Uploaded files with their relative paths (sent by upload.js as `paths`)."""
    uploads = request.FILES.getlist("files")
    paths = request.POST.getlist("paths")
    if len(paths) != len(uploads):
        paths = [upload.name for upload in uploads]
    return [
        IncomingFile(path=path, opener=_reader(upload), size=upload.size)
        for path, upload in zip(paths, uploads, strict=True)
    ]


def _reader(upload):
    def read() -> bytes:
        upload.seek(0)
        return upload.read()

    return read


def _form_page(request, form, template: str, extra: dict, status: int | None = None):
    context = {"form": form, "limits": upload_limits(), **extra}
    status = status or (422 if request.method == "POST" else 200)
    if request.method == "POST" and wants_json(request):
        details = {
            field: [error["message"] for error in errors]
            for field, errors in form.errors.get_json_data().items()
        }
        body = error_body("Check the form.", "VALIDATION_ERROR", details)
        return JsonResponse(body, status=422)
    return render(request, template, context, status=status)


def _failed(request, form, exc, template: str, extra: dict):
    """Show the service's reason; nothing was stored."""
    status, body = describe(exc)
    message, details = body["error"], body["details"]
    if wants_json(request):
        return JsonResponse(body, status=status)
    form.add_error(None, message)
    extra = {**extra, "error_files": (details or {}).get("file", [])}
    return _form_page(request, form, template, extra, status=status)


def _succeeded(request, wiki, text: str):
    url = reverse("wiki_home", args=[wiki.slug])
    if wants_json(request):
        return JsonResponse({"slug": wiki.slug, "url": url}, status=201)
    messages.success(request, text)
    return redirect(url)


def upload_limits() -> dict:
    """The limits upload.js pre-checks (the server checks again)."""
    return dict(settings.DEEPWIKI_LIMITS)
