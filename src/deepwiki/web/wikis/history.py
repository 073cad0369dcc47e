"""History pages: versions, comparing two of them, restoring, reading an old one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from deepwiki.core.errors import DomainError
from deepwiki.transport.errors import message_of
from deepwiki.web.forms.wikis import MessageForm
from deepwiki.web.wikis.access import wiki_for_edit, wiki_for_read, wiki_page_view
from deepwiki.web.wikis.reading import breadcrumbs
from deepwiki.web.wikis.tree import tree_html
from deepwiki.wikis import permissions, selectors, services
from deepwiki.wikis.diff import version_diff
from deepwiki.wikis.filetypes import kind_of_path
from deepwiki.wikis.models import Blob, FileKind
from deepwiki.wikis.paths import choose_entry, is_markdown_path
from deepwiki.wikis.selectors import manifest_tree

PER_PAGE = 30
INLINE_MAX = 512 * 1024


@wiki_page_view
def wiki_history(request, slug: str):
    """Every version, newest first; pick two to compare (?v=a&v=b)."""
    wiki = wiki_for_read(request, slug)
    picked = sorted({int(v) for v in request.GET.getlist("v") if v.isdigit()})
    if len(picked) == 2:
        return redirect("wiki_diff", slug=wiki.slug, a=picked[0], b=picked[1])
    page = Paginator(selectors.version_list(wiki), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "wiki": wiki,
        "page": page,
        "can_edit": permissions.can_edit(request.user, wiki),
        "compare_error": len(picked) not in (0, 2),
    }
    return render(request, "wikis/history.html", context)


@wiki_page_view
def wiki_diff(request, slug: str, a: int, b: int):
    """Added, removed and changed files between two versions, with unified diffs."""
    wiki = wiki_for_read(request, slug)
    old, new = selectors.version_get(wiki, a), selectors.version_get(wiki, b)
    diff = version_diff(wiki, a, b)
    context = {
        "wiki": wiki,
        "old": old,
        "new": new,
        "diff": diff,
        "can_edit": permissions.can_edit(request.user, wiki),
    }
    file = request.GET.get("file", "")
    if file and is_markdown_path(file):
        context["side_by_side"] = _side_by_side(wiki, a, b, file)
    return render(request, "wikis/diff.html", context)


def _side_by_side(wiki, a: int, b: int, path: str) -> dict:
    """Both versions of one Markdown file rendered (old renders are not stored)."""
    sides = {}
    for key, number in (("old", a), ("new", b)):
        data = selectors.version_file_bytes(wiki, number, path)
        if data is None:
            sides[key] = None
            continue
        html = services.render_preview(
            wiki=wiki, path=path, content=data.decode("utf-8-sig", "replace")
        )
        sides[key] = mark_safe(html)  # noqa: S308 - render_preview sanitises
    return {"path": path, **sides}


@wiki_page_view
@require_POST
def wiki_restore(request, slug: str, number: int):
    """Make a new version with the files of an old one (history is never rewritten)."""
    wiki = wiki_for_edit(request, slug)
    selectors.version_get(wiki, number)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.version_restore(
            actor=request.user,
            wiki=wiki,
            number=number,
            message=message or f"Restore version {number}",
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, f"Version {number} was not restored: {message_of(exc)}")
        return redirect("wiki_history", slug=wiki.slug)
    wiki.refresh_from_db()
    messages.success(
        request,
        f"Restored version {number} as the new version {wiki.current_version}.",
    )
    return redirect("wiki_history", slug=wiki.slug)


@wiki_page_view
def wiki_home_at_version(request, slug: str, number: int):
    """The entry page of an old version."""
    wiki = wiki_for_read(request, slug)
    version = selectors.version_get(wiki, number)
    entry = choose_entry(list(version.manifest))
    if not entry:
        raise Http404("This version has no pages.")
    return redirect(reverse("wiki_page_at_version", args=[wiki.slug, number, entry]))


@wiki_page_view
def wiki_page_at_version(request, slug: str, number: int, path: str):
    """One file as of an old version, rendered now from its stored source."""
    wiki = wiki_for_read(request, slug)
    version = selectors.version_get(wiki, number)
    real_path = selectors.version_manifest_path(version.manifest, path)
    if real_path is None:
        raise Http404("This file did not exist in that version.")
    blob = Blob.objects.filter(pk=version.manifest[real_path]).first()
    file = OldFile(path=real_path, size=blob.size if blob else 0)
    context = {
        "wiki": wiki,
        "file": file,
        "at_version": version,
        "can_edit": permissions.can_edit(request.user, wiki),
        "sidebar": tree_html(
            wiki=wiki,
            nodes=lambda: manifest_tree(version.manifest),
            current_path=real_path,
            version=number,
            file_count=0,  # old versions are rarely read: always the full tree
        ),
        "breadcrumbs": breadcrumbs(wiki, real_path),
    }
    context.update(_old_body(wiki, number, file, version.manifest))
    return render(request, "wikis/page.html", context)


@dataclass
class OldFile:
    """What page.html needs to know about a file of an old version."""

    path: str
    size: int
    title: str = ""
    html: str = ""
    content_type: str = ""
    toc: list = field(default_factory=list)


def _old_body(wiki, number: int, file: OldFile, manifest: dict) -> dict:
    """Render Markdown now (sanitised); show text and images inline; else download."""
    if kind_of_path(file.path) == FileKind.IMAGE:
        raw = reverse("wiki_raw", args=[wiki.slug, file.path])
        return {"body_kind": "image", "image_src": f"{raw}?version={number}"}
    if file.size > INLINE_MAX and not is_markdown_path(file.path):
        return {"body_kind": "download"}
    data = selectors.version_file_bytes(wiki, number, file.path) or b""
    if is_markdown_path(file.path):
        page = services.render_page(
            wiki=wiki,
            path=file.path,
            content=data.decode("utf-8-sig", "replace"),
            paths=manifest,
        )
        file.html = mark_safe(page.html)  # noqa: S308 - render() sanitises
        file.toc = page.toc
        return {"body_kind": "markdown"}
    try:
        return {"body_kind": "text", "text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_kind": "download"}
