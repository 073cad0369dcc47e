"""The sidebar file tree as HTML, rendered once per wiki version and cached.

Small wikis get the whole tree. Big ones get the top level plus the folders
leading to the current page; every other folder is fetched when opened (an
HTML fragment, `wiki_tree_fragment`), or is a link to its folder page without
JavaScript. No folder lists more than SIBLINGS_MAX entries: the rest are behind
"Show all N", the paginated folder page. A page's HTML stays well under 60 KB
whatever the folder size.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from deepwiki.wikis.filetypes import kind_of_path

# Django's reverse() keeps these characters unquoted in <path:...> segments.
_PATH_SAFE = "!$&'()*+,;=/~:@"
_TREE_TIMEOUT = 60 * 60
FULL_TREE_MAX = 150
SIBLINGS_MAX = 25
# Where the current file goes when the capped list does not show it.
_CURRENT_SLOT = "<!--current-->"


def wiki_file_url(slug: str, path: str) -> str:
    """The page URL of a file, built without a reverse() per file of a big tree."""
    return reverse("wiki_home", args=[slug]) + quote(path, safe=_PATH_SAFE)


def _icon(kind: str) -> str:
    return f'<span class="tree-icon tree-icon-{kind}" aria-hidden="true"></span>'


def _tree_html(nodes: list[dict], base_url: str, lazy_url: str = "") -> str:
    parts = ['<ul class="tree-list">']
    for node in nodes[:SIBLINGS_MAX]:
        parts.append(_node_html(node, base_url, lazy_url))
    if len(nodes) > SIBLINGS_MAX:
        folder = posixpath.dirname(nodes[0]["path"])
        listing = escape(f"{base_url}-/folder/{quote(folder, safe=_PATH_SAFE)}")
        if "/-/v/" in base_url:  # an old version: its folder pages are the listing
            listing = escape(base_url + quote(folder, safe=_PATH_SAFE) + "/")
        parts.append(
            f'{_CURRENT_SLOT}<li class="tree-more"><a href="{listing}">'
            f"Show all {len(nodes)}</a></li>"
        )
    parts.append("</ul>")
    return "".join(parts)


def _node_html(node: dict, base_url: str, lazy_url: str) -> str:
    name, path = escape(node["name"]), escape(node["path"])
    url = escape(base_url + quote(node["path"], safe=_PATH_SAFE))
    if node["kind"] == "folder" and node.get("children") is None:
        if not lazy_url:
            return (
                f'<li class="tree-folder"><a href="{url}/" data-dir-link="{path}">'
                f"{_icon('folder')}<span>{name}</span></a></li>"
            )
        src = escape(lazy_url + quote(node["path"], safe=_PATH_SAFE))
        # Opened, the fragment replaces the link (a fallback without JavaScript).
        return (
            f'<li class="tree-folder"><details data-dir="{path}" data-tree-src="{src}">'
            f"<summary>{_icon('folder')}<span>{name}</span></summary>"
            f'<ul class="tree-list"><li><a href="{url}/">Open folder</a></li></ul>'
            "</details></li>"
        )
    if node["kind"] == "folder":
        return (
            f'<li class="tree-folder"><details data-dir="{path}">'
            f"<summary>{_icon('folder')}<span>{name}</span></summary>"
            f"{_tree_html(node['children'], base_url, lazy_url)}</details></li>"
        )
    entry = " tree-entry" if node.get("is_entry") else ""
    return (
        f'<li class="tree-file{entry}"><a href="{url}" data-path="{path}">'
        f"{_icon(node['kind'])}<span>{name}</span></a></li>"
    )


def tree_fragment_html(*, wiki, nodes: Callable[[], list[dict]], folder: str):
    """One folder's entries (subfolders closed), for opening it in the sidebar."""
    key = f"wikitree:{wiki.pk}:{wiki.current_version}:{wiki.entry_path}:frag:{folder}"
    html = cache.get(key)
    if html is None:
        children = subtree(nodes(), folder) if folder else nodes()
        if children is None:
            return None
        base_url = reverse("wiki_home", args=[wiki.slug])
        html = _tree_html(prune(children, "\0"), base_url, _lazy_url(wiki))
        cache.set(key, html, _TREE_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - every name and path is escaped


def _lazy_url(wiki) -> str:
    return reverse("wiki_tree_fragment", args=[wiki.slug, "_"])[:-1]


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
        lazy_url = _lazy_url(wiki)
    else:
        base_url = reverse("wiki_home_at_version", args=[wiki.slug, version])
        key = f"wikitree:{wiki.pk}:v{version}"
        lazy_url = ""
    key = f"{key}:{base_url}:{'*' if folder is None else folder}"
    html = cache.get(key)
    if html is None:
        tree = nodes() if folder is None else prune(nodes(), folder)
        html = _tree_html(tree, base_url, lazy_url)
        cache.set(key, html, _TREE_TIMEOUT)
    return mark_current(html, current_path, base_url=base_url)


def mark_current(html: str, current_path: str, *, base_url: str = "") -> SafeString:
    """Highlight the current file and open the folders that contain it."""
    if current_path:
        marker = f'data-path="{escape(current_path)}">'
        if marker in html:
            html = html.replace(marker, marker[:-1] + ' aria-current="page">', 1)
        elif not current_path.endswith("/"):
            html = _slot_current(html, current_path, base_url)
        parts = current_path.strip("/").split("/")
        if not current_path.endswith("/"):
            parts = parts[:-1]
        for depth in range(1, len(parts) + 1):
            folder = f'data-dir="{escape("/".join(parts[:depth]))}">'
            html = html.replace(folder, folder[:-1] + " open>", 1)
    return mark_safe(html)  # noqa: S308 - every name and path above is escaped


def _slot_current(html: str, path: str, base_url: str) -> str:
    """Show the current file in its folder's capped list (past the first entries)."""
    folder = posixpath.dirname(path)
    opening = f'data-dir="{escape(folder)}">' if folder else '<ul class="tree-list">'
    start = html.find(opening)
    slot = html.find(_CURRENT_SLOT, start if start >= 0 else 0)
    if start < 0 or slot < 0:
        return html
    name, url = escape(posixpath.basename(path)), escape(path)
    href = escape(base_url + quote(path, safe=_PATH_SAFE))
    item = (
        f'<li class="tree-file"><a href="{href}" data-path="{url}" aria-current="page">'
        f"{_icon(kind_of_path(path))}<span>{name}</span></a></li>"
    )
    return html[:slot] + item + html[slot + len(_CURRENT_SLOT) :]


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
