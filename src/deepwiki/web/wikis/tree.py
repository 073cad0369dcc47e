"""The sidebar file tree as HTML, rendered once per wiki version and cached.

Small wikis get the whole tree. Big ones (thousands of files) get the top
level plus the folders leading to the current page; every other folder is a
link to its folder page, so a page view never ships megabytes of sidebar.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Django's reverse() keeps these characters unquoted in <path:...> segments.
_PATH_SAFE = "!$&'()*+,;=/~:@"
_TREE_TIMEOUT = 60 * 60
FULL_TREE_MAX = 400


def wiki_file_url(slug: str, path: str) -> str:
    """The page URL of a file, built without a reverse() per file of a big tree."""
    return reverse("wiki_home", args=[slug]) + quote(path, safe=_PATH_SAFE)


def _icon(kind: str) -> str:
    return f'<span class="tree-icon tree-icon-{kind}" aria-hidden="true"></span>'


def _tree_html(nodes: list[dict], base_url: str) -> str:
    parts = ['<ul class="tree-list">']
    for node in nodes:
        name, path = escape(node["name"]), escape(node["path"])
        url = escape(base_url + quote(node["path"], safe=_PATH_SAFE))
        if node["kind"] == "folder" and node.get("children") is None:
            parts.append(
                f'<li class="tree-folder"><a href="{url}/" data-dir-link="{path}">'
                f"{_icon('folder')}<span>{name}</span></a></li>"
            )
        elif node["kind"] == "folder":
            parts.append(
                f'<li class="tree-folder"><details data-dir="{path}">'
                f"<summary>{_icon('folder')}<span>{name}</span></summary>"
                f"{_tree_html(node['children'], base_url)}</details></li>"
            )
        else:
            entry = " tree-entry" if node.get("is_entry") else ""
            parts.append(
                f'<li class="tree-file{entry}"><a href="{url}" data-path="{path}">'
                f"{_icon(node['kind'])}<span>{name}</span></a></li>"
            )
    parts.append("</ul>")
    return "".join(parts)


def prune(nodes: list[dict], folder: str) -> list[dict]:
    """Keep the folders on the way to `folder` open; close (children=None) the rest."""
    kept = []
    for node in nodes:
        if node["kind"] != "folder":
            kept.append(node)
        elif folder == node["path"] or folder.startswith(node["path"] + "/"):
            kept.append({**node, "children": prune(node["children"], folder)})
        else:
            kept.append({**node, "children": None})
    return kept


def tree_html(
    *,
    wiki,
    nodes: Callable[[], list[dict]],
    current_path: str = "",
    version: int | None = None,
    file_count: int | None = None,
) -> SafeString:
    """Render the sidebar tree (cached per version); mark the current file per call."""
    count = wiki.file_count if file_count is None else file_count
    folder = (
        posixpath.dirname(current_path.rstrip("/")) if count > FULL_TREE_MAX else None
    )
    if current_path.endswith("/") and folder is not None:
        folder = current_path.rstrip("/")
    if version is None:
        base_url = reverse("wiki_home", args=[wiki.slug])
        key = f"wikitree:{wiki.pk}:{wiki.current_version}:{wiki.entry_path}"
    else:
        base_url = reverse("wiki_home_at_version", args=[wiki.slug, version])
        key = f"wikitree:{wiki.pk}:v{version}"
    key = f"{key}:{base_url}:{'*' if folder is None else folder}"
    html = cache.get(key)
    if html is None:
        tree = nodes() if folder is None else prune(nodes(), folder)
        html = _tree_html(tree, base_url)
        cache.set(key, html, _TREE_TIMEOUT)
    return mark_current(html, current_path)


def mark_current(html: str, current_path: str) -> SafeString:
    """Highlight the current file and open the folders that contain it."""
    if current_path:
        marker = f'data-path="{escape(current_path)}">'
        html = html.replace(marker, marker[:-1] + ' aria-current="page">', 1)
        parts = current_path.strip("/").split("/")
        if not current_path.endswith("/"):
            parts = parts[:-1]
        for depth in range(1, len(parts) + 1):
            folder = f'data-dir="{escape("/".join(parts[:depth]))}">'
            html = html.replace(folder, folder[:-1] + " open>", 1)
    return mark_safe(html)  # noqa: S308 - every name and path above is escaped


def subtree(nodes: list[dict], folder: str) -> list[dict] | None:
    """The children of one folder of a file tree, or None when there is no such folder."""
    for node in nodes:
        if node["kind"] != "folder":
            continue
        if node["path"] == folder:
            return node["children"]
        if folder.startswith(node["path"] + "/"):
            return subtree(node["children"], folder)
    return None
