"""Reading pages: a wiki's files (HTML rendered at write time) and its link report."""

from __future__ import annotations

import logging
import posixpath

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from deepwiki.activity.services import pageview_record
from deepwiki.web.wikis.access import wiki_for_read, wiki_page_view
from deepwiki.web.wikis.tree import (
    subtree,
    tree_fragment_html,
    tree_html,
    wiki_file_url,
)
from deepwiki.wikis import permissions, selectors
from deepwiki.wikis.filetypes import is_text_type
from deepwiki.wikis.models import FileKind

log = logging.getLogger("deepwiki.wikis")

TEXT_INLINE_MAX = 512 * 1024
INDEX_NAMES = ("index.md", "README.md", "readme.md")
BACKLINKS_SHOWN = 200
FOLDER_PAGE_SIZE = 200


@wiki_page_view
def wiki_home(request, slug: str):
    """The wiki's entry page, under the wiki's own URL."""
    wiki = wiki_for_read(request, slug)
    if not wiki.entry_path:
        return _render_file(request, wiki, None)
    file = selectors.file_get_by_path(wiki, wiki.entry_path)
    return _render_file(request, wiki, file)


@wiki_page_view
def wiki_page(request, slug: str, path: str):
    """One file of a wiki: Markdown as stored HTML, other files as a preview."""
    wiki = wiki_for_read(request, slug)
    file = selectors.file_get_by_path(wiki, path) if path else None
    if file is None:
        folder_page = _folder_index(wiki, path)
        if folder_page is not None:
            return redirect(wiki_file_url(wiki.slug, folder_page.path))
        return _render_folder(request, wiki, path.strip("/"))
    if file.path != path:  # found ignoring case: send readers to the real address
        return redirect(wiki_file_url(wiki.slug, file.path))
    return _render_file(request, wiki, file)


@wiki_page_view
def wiki_links(request, slug: str):
    """The wiki's broken internal links: which page points where."""
    wiki = wiki_for_read(request, slug)
    links = selectors.broken_links(wiki)
    return render(
        request,
        "wikis/links.html",
        {"wiki": wiki, "links": links, "can_edit": _can_edit(request, wiki)},
    )


@wiki_page_view
def wiki_folder(request, slug: str, path: str = ""):
    """Everything a folder holds, paginated (the sidebar's "Show all N")."""
    wiki = wiki_for_read(request, slug)
    return _render_folder(request, wiki, path.strip("/"))


@wiki_page_view
def wiki_tree_fragment(request, slug: str, path: str):
    """One folder's entries for the sidebar, fetched when the reader opens it."""
    wiki = wiki_for_read(request, slug)
    html = tree_fragment_html(
        wiki=wiki, nodes=lambda: selectors.file_tree(wiki), folder=path.strip("/")
    )
    if html is None:
        raise Http404("No such folder in this wiki.")
    return HttpResponse(html)


def _folder_index(wiki, path: str):
    """A folder URL (`docs/`) leads to the folder's index or README page."""
    folder = path.strip("/")
    if not folder:
        return None
    for name in INDEX_NAMES:
        found = selectors.file_get_by_path(wiki, f"{folder}/{name}")
        if found is not None:
            return found
    return None


def _render_folder(request, wiki, folder: str):
    """A folder without an index page lists what it holds (404 if it is no folder)."""
    tree = selectors.file_tree(wiki)
    children = subtree(tree, folder) if folder else tree
    if children is None:
        raise Http404("No such file in this wiki.")
    page = Paginator(children, FOLDER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "wiki": wiki,
        "can_edit": _can_edit(request, wiki),
        "sidebar": tree_html(wiki=wiki, nodes=lambda: tree, current_path=folder + "/"),
        "breadcrumbs": breadcrumbs(wiki, folder),
        "folder": folder,
        "folder_nodes": page.object_list,
        "folder_page": page,
        "body_kind": "folder",
    }
    return render(request, "wikis/page.html", context)


def _render_file(request, wiki, file):
    """Shape the page: sidebar tree, article, TOC, breadcrumbs, backlinks."""
    context = {
        "wiki": wiki,
        "file": file,
        "can_edit": _can_edit(request, wiki),
        "sidebar": tree_html(
            wiki=wiki,
            nodes=lambda: selectors.file_tree(wiki),
            current_path=file.path if file else "",
        ),
        "breadcrumbs": breadcrumbs(wiki, file.path if file else ""),
        "folder": posixpath.dirname(file.path) if file else "",
    }
    if file is not None:
        context.update(_file_body(file))
        # Evaluated here, not in the template: one query, capped.
        context["backlinks"] = list(selectors.backlinks(file)[:BACKLINKS_SHOWN])
        _record_view(request, wiki, file)
    return render(request, "wikis/page.html", context)


def _file_body(file) -> dict:
    """What the article shows for this kind of file."""
    if file.kind == FileKind.MARKDOWN:
        return {"body_kind": "markdown"}
    if file.kind == FileKind.IMAGE:
        return {"body_kind": "image"}
    if shows_as_text(file.content_type) and file.size <= TEXT_INLINE_MAX:
        try:
            return {"body_kind": "text", "text": selectors.file_text(file)}
        except UnicodeDecodeError:
            pass
    return {"body_kind": "download"}


def shows_as_text(content_type: str) -> bool:
    """Whether an attachment is plain text a reader can see inline."""
    base = (content_type or "").split(";")[0].strip().lower()
    return base.startswith("text/") or is_text_type(base)


def breadcrumbs(wiki, path: str) -> list[dict]:
    """Wiki → folders → file; folders have no page of their own, so no link."""
    crumbs = [{"label": wiki.title, "url": wiki_file_url(wiki.slug, "")}]
    parts = [p for p in path.split("/") if p]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        crumbs.append({"label": part, "url": None, "current": last})
    return crumbs


def _can_edit(request, wiki) -> bool:
    return request.user.is_authenticated and permissions.can_edit(request.user, wiki)


def _record_view(request, wiki, file) -> None:
    """Count the view (buffered, no SQL); analytics must never break reading."""
    try:
        pageview_record(wiki=wiki, path=file.path, user=request.user, title=file.title)
    except DatabaseError:
        log.warning("page view not recorded", exc_info=True)
