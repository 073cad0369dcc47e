"""Upload pages: a new wiki, or new files into an existing one.

With JavaScript, upload.js sends the files with their folder paths to the API
(and shows progress); without it, the same forms post here as plain
multipart forms. Either way the one upload parser
(`deepwiki.transport.uploads`) reads the request and the services decide;
this module only shapes the answer: a redirect, or the form with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from deepwiki.core.errors import DomainError
from deepwiki.core.models import SiteSettings
from deepwiki.transport.errors import describe, wants_json
from deepwiki.transport.uploads import job_body, upload_from_request
from deepwiki.web.forms.wikis import UploadForm, UploadIntoForm
from deepwiki.web.wikis.access import wiki_for_edit, wiki_page_view

QUEUED = (
    "Your upload is large, so it is being rendered in the background. It will "
    "appear here when it is ready."
)


@login_required
def wiki_upload(request):
    """Create a wiki from files, a folder or a .zip archive."""
    initial = {"visibility": SiteSettings.current().default_visibility}
    template = "wikis/upload.html"
    if request.method != "POST":
        return _form_page(request, UploadForm(initial=initial), template, {})
    form = UploadForm(request.POST, initial=initial)
    try:
        outcome = upload_from_request(request)
    except (DomainError, ValidationError) as exc:
        return _failed(request, form, exc, template, {})
    if outcome.job is not None:
        return _queued(request, outcome.job, reverse("wiki_list"))
    wiki = outcome.wiki
    return _succeeded(request, wiki, f"Your wiki “{wiki.title}” is ready.")


@wiki_page_view
def wiki_upload_into(request, slug: str):
    """Add or replace files of an existing wiki (owner and admins)."""
    wiki = wiki_for_edit(request, slug)
    extra = {"wiki": wiki, "can_edit": True}
    template = "wikis/upload_into.html"
    if request.method != "POST":
        return _form_page(request, UploadIntoForm(), template, extra)
    form = UploadIntoForm(request.POST)
    try:
        outcome = upload_from_request(request, wiki=wiki)
    except (DomainError, ValidationError) as exc:
        return _failed(request, form, exc, template, extra)
    if outcome.job is not None:
        return _queued(request, outcome.job, reverse("wiki_home", args=[wiki.slug]))
    wiki = outcome.wiki
    return _succeeded(
        request,
        wiki,
        f"Uploaded. “{wiki.title}” is now at version {wiki.current_version}.",
    )


def _form_page(request, form, template: str, extra: dict, status: int = 200):
    context = {"form": form, "limits": upload_limits(), **extra}
    return render(request, template, context, status=status)


def _failed(request, form, exc, template: str, extra: dict):
    """Show the parser's or the service's reason on the form; nothing was stored."""
    status, body = describe(exc)
    if wants_json(request):
        return JsonResponse(body, status=status)
    details = body["details"] or {}
    form.cleaned_data, form._errors = (
        {},
        ErrorDict(),
    )  # shown as given, not re-validated
    for name, reasons in details.items():
        if name in form.fields:
            for reason in reasons:
                form.add_error(name, reason)
    form.add_error(None, body["error"])
    extra = {**extra, "error_files": details.get("file", [])}
    return _form_page(request, form, template, extra, status=status)


def _queued(request, job, fallback_url: str):
    """A background upload: JSON for the script, else say so and move on."""
    body = job_body(actor=request.user, job_id=job.pk)
    if wants_json(request):
        return JsonResponse({"job": body}, status=202)
    if body["status"] == "succeeded" and body["result"].get("url"):
        messages.success(request, "Your upload is ready.")
        return redirect(body["result"]["url"])
    if body["status"] == "failed":
        messages.error(request, (body["error"] or {}).get("error", body["message"]))
        return redirect(fallback_url)
    messages.info(request, QUEUED)
    return redirect(fallback_url)


def _succeeded(request, wiki, text: str):
    url = reverse("wiki_home", args=[wiki.slug])
    if wants_json(request):
        return JsonResponse({"slug": wiki.slug, "url": url}, status=201)
    messages.success(request, text)
    return redirect(url)


def upload_limits() -> dict:
    """The limits upload.js pre-checks (the server checks again)."""
    return dict(settings.DEEPWIKI_LIMITS)
