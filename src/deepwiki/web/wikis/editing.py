"""Editing pages: the Markdown editor with preview, new page, move and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deepwiki.core.errors import Conflict, DomainError
from deepwiki.transport.errors import message_of
from deepwiki.web.forms.wikis import EditForm, MessageForm, MoveForm, NewFileForm
from deepwiki.web.wikis.access import wiki_for_edit, wiki_page_view
from deepwiki.web.wikis.tree import wiki_file_url
from deepwiki.wikis import selectors, services
from deepwiki.wikis.models import FileKind

EDITOR_TEMPLATE = "wikis/edit.html"


def _existing_file(wiki, path: str):
    """The current file at `path`, or 404."""
    file = selectors.file_get_by_path(wiki, path)
    if file is None:
        raise Http404("No such file in this wiki.")
    return file


@wiki_page_view
def wiki_edit(request, slug: str, path: str):
    """Edit one Markdown page; a stale base version shows the conflict, text kept."""
    wiki = wiki_for_edit(request, slug)
    file = selectors.file_get_by_path(wiki, path)
    if request.method != "POST":
        if file is None:
            raise Http404("No such file in this wiki.")
        if file.path != path:
            return redirect("wiki_edit", slug=wiki.slug, path=file.path)
    context = {"wiki": wiki, "file": file, "path": file.path if file else path}
    if file is not None and file.kind != FileKind.MARKDOWN:
        return render(
            request, EDITOR_TEMPLATE, {**context, "not_editable": True}, status=400
        )
    if request.method != "POST":
        initial = {
            "content": selectors.file_text(file),
            "base_version": wiki.current_version,
        }
        return render(
            request, EDITOR_TEMPLATE, {**context, "form": EditForm(initial=initial)}
        )
    # A POST for a file deleted or moved meanwhile still reaches file_save, which
    # answers with a Conflict: the user's text is shown again, never lost.
    form = EditForm(request.POST)
    if form.is_valid():
        try:
            services.file_save(
                actor=request.user, wiki=wiki, path=context["path"], **form.cleaned_data
            )
        except Conflict as exc:
            return _conflict(request, context, wiki, exc)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, f"Saved “{context['path']}”.")
            return redirect(wiki_file_url(wiki.slug, context["path"]))
    return render(request, EDITOR_TEMPLATE, {**context, "form": form}, status=422)


def _conflict(request, context, wiki, exc):
    """Keep the user's text; the next save starts from the version now current."""
    wiki.refresh_from_db(fields=["current_version"])
    data = request.POST.copy()
    data["base_version"] = str(wiki.current_version)
    context = {
        **context,
        "form": EditForm(data),
        "conflict": {"message": exc.message, "diff": conflict_diff(exc)},
    }
    return render(request, EDITOR_TEMPLATE, context, status=409)


def conflict_diff(exc) -> str:
    """The unified diff a Conflict carries in its details, as one string."""
    details = getattr(exc, "details", None) or {}
    diff = details.get("diff", "")
    return "\n".join(diff) if isinstance(diff, list | tuple) else str(diff)


def add_service_errors(form, exc) -> None:
    """Put a service's errors on the matching form fields (or on the form)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return
    form.add_error(None, message_of(exc))


@wiki_page_view
@require_POST
def wiki_preview(request, slug: str):
    """Render unsaved Markdown for the editor; the HTML is sanitised by the service."""
    wiki = wiki_for_edit(request, slug)
    content = request.POST.get("content", "")
    path = request.POST.get("path", "") or "preview.md"
    try:
        html = services.render_preview(wiki=wiki, path=path, content=content)
    except (DomainError, ValidationError) as exc:
        return HttpResponse(message_of(exc), status=422, content_type="text/plain")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@wiki_page_view
def wiki_new_file(request, slug: str):
    """Create a new Markdown page, optionally inside a folder (?dir=…)."""
    wiki = wiki_for_edit(request, slug)
    folder = request.GET.get("dir", "").strip("/")
    initial = {"path": f"{folder}/" if folder else "", "content": "# New page\n"}
    form = NewFileForm(request.POST or None, initial=initial)
    context = {"wiki": wiki, "form": form, "can_edit": True, "new_file": True}
    if request.method == "POST" and form.is_valid():
        path = form.cleaned_data["path"]
        if selectors.file_get_by_path(wiki, path) is not None:
            form.add_error(
                "path", "A file with this path already exists. Choose another."
            )
        else:
            try:
                services.file_save(
                    actor=request.user,
                    wiki=wiki,
                    path=path,
                    content=form.cleaned_data["content"],
                    base_version=wiki.current_version,
                    message=form.cleaned_data["message"] or f"Create {path}",
                )
            except (DomainError, ValidationError) as exc:
                form.add_error("path", message_of(exc))
            else:
                messages.success(request, f"Created “{path}”.")
                return redirect(wiki_file_url(wiki.slug, path))
    status = 422 if request.method == "POST" else 200
    return render(request, EDITOR_TEMPLATE, context, status=status)


@wiki_page_view
def wiki_move(request, slug: str, path: str):
    """Rename or move one file; links are re-checked by the service."""
    wiki = wiki_for_edit(request, slug)
    file = _existing_file(wiki, path)
    form = MoveForm(request.POST or None, initial={"new_path": file.path})
    if request.method == "POST" and form.is_valid():
        new_path = form.cleaned_data["new_path"]
        try:
            services.file_move(
                actor=request.user,
                wiki=wiki,
                old_path=file.path,
                new_path=new_path,
                message=form.cleaned_data["message"],
            )
        except (DomainError, ValidationError) as exc:
            form.add_error("new_path", message_of(exc))
        else:
            messages.success(request, f"Moved “{file.path}” to “{new_path}”.")
            return redirect(wiki_file_url(wiki.slug, new_path))
    context = {"wiki": wiki, "file": file, "form": form, "can_edit": True}
    status = 422 if request.method == "POST" else 200
    return render(request, "wikis/move.html", context, status=status)


@wiki_page_view
def wiki_delete_file(request, slug: str, path: str):
    """Delete one file after confirmation (a new version remembers it)."""
    wiki = wiki_for_edit(request, slug)
    file = _existing_file(wiki, path)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_delete(
                actor=request.user,
                wiki=wiki,
                path=file.path,
                message=form.cleaned_data["message"],
            )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(
                request, f"Deleted “{file.path}”. It is kept in the history."
            )
            return redirect("wiki_home", slug=wiki.slug)
    context = {"wiki": wiki, "file": file, "form": form, "can_edit": True}
    status = 422 if request.method == "POST" else 200
    return render(request, "wikis/delete_file.html", context, status=status)
