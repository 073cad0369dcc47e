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

from deepwiki.api.errors import ApiError
from deepwiki.wikis import permissions, selectors, services
from deepwiki.wikis.diff import version_diff
from deepwiki.wikis.forms import MessageForm
from deepwiki.wikis.models import Blob
from deepwiki.wikis.paths import extension, is_markdown_path, natural_sort_key
from deepwiki.wikis.services.tree import choose_entry
from deepwiki.wikis.views.access import wiki_for_edit, wiki_for_read, wiki_page_view
from deepwiki.wikis.views.editing import error_text
from deepwiki.wikis.views.reading import breadcrumbs
from deepwiki.wikis.views.tree import tree_html

PER_PAGE = 30
INLINE_MAX = 512 * 1024
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp", "svg"}


def _can_edit(request, wiki) -> bool:
    return request.user.is_authenticated and permissions.can_edit(request.user, wiki)


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
        "can_edit": _can_edit(request, wiki),
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
        "can_edit": _can_edit(request, wiki),
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
    except (ApiError, ValidationError) as exc:
        messages.error(request, f"Version {number} was not restored: {error_text(exc)}")
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
        "can_edit": _can_edit(request, wiki),
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
    if extension(file.path) in IMAGE_EXTENSIONS:
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


def manifest_tree(manifest: dict) -> list[dict]:
    """A file tree like selectors.file_tree, built from an old version's manifest."""
    entry = choose_entry(list(manifest))
    root: dict = {"children": {}}
    for path in manifest:
        node = root
        parts = path.split("/")
        for depth, part in enumerate(parts[:-1]):
            node = node["children"].setdefault(
                part,
                {
                    "name": part,
                    "path": "/".join(parts[: depth + 1]),
                    "kind": "folder",
                    "children": {},
                },
            )
        kind = (
            "markdown"
            if is_markdown_path(path)
            else "image"
            if extension(path) in IMAGE_EXTENSIONS
            else "attachment"
        )
        node["children"][parts[-1]] = {
            "name": parts[-1],
            "path": path,
            "kind": kind,
            "is_entry": path == entry,
            "children": {},
        }
    return _ordered(root)


def _ordered(node: dict) -> list[dict]:
    """Entry first, then folders, then files, in natural order (like file_tree)."""
    out = [
        {**child, "is_entry": False, "children": _ordered(child)}
        if child["kind"] == "folder"
        else {**child, "children": []}
        for child in node["children"].values()
    ]
    out.sort(
        key=lambda c: (
            not c["is_entry"],
            c["kind"] != "folder",
            natural_sort_key(c["name"]),
        )
    )
    return out
