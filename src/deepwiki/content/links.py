"""Link stage: classify, resolve and mark every link and image in the token stream."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from urllib.parse import quote, unquote

from markdown_it.token import Token

from .headings import slugify
from .types import Link, LinkKind

# resolve_link(target, kind) -> URL or None; kind is "relative" or "wikilink".
LinkResolver = Callable[[str, str], str | None]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
EXTERNAL_REL = "noopener noreferrer"


def classify_target(href: str) -> LinkKind:
    """Tell an in-page anchor, an external URL and a wiki-relative path apart."""
    if not href or href.startswith("#"):
        return "anchor"
    if _SCHEME.match(href) or href.startswith("//"):
        return "external"
    return "relative"


def join_wiki_path(current_path: str, target: str) -> str | None:
    """Resolve a relative target against the current file; None if it leaves the wiki."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return current_path
    base = [] if path.startswith("/") else posixpath.dirname(current_path).split("/")
    parts: list[str] = [p for p in base if p and p != "."]
    for segment in path.split("/"):
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        elif segment and segment != ".":
            parts.append(segment)
    return "/".join(parts) or None


def _walk(tokens: list[Token]) -> Iterator[Token]:
    """Yield block tokens and their inline children in document order."""
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def process_links(tokens: list[Token], resolve: LinkResolver | None) -> list[Link]:
    """Rewrite link/image targets in place and return what was found."""
    found: list[Link] = []
    for token in _walk(tokens):
        if token.type == "link_open" and not token.meta.get("heading_anchor"):
            found.append(_process_anchor(token, resolve))
        elif token.type == "image":
            found.append(_process_image(token, resolve))
    return found


def _process_anchor(token: Token, resolve: LinkResolver | None) -> Link:
    """Handle one <a>: wiki-link, external, in-page anchor or relative."""
    wiki_target = token.meta.get("wikilink")
    if wiki_target is not None:
        return _process_wikilink(token, wiki_target, resolve)
    href = str(token.attrGet("href") or "")
    kind = classify_target(href)
    if kind == "external":
        token.attrSet("rel", EXTERNAL_REL)
        token.attrSet("class", "external")
        return Link(target=href, kind=kind, resolved_url=href, broken=False)
    if kind == "anchor":
        return Link(target=href, kind=kind, resolved_url=href, broken=False)
    return _resolve_relative(token, "href", resolve, "Page not found")


def _process_image(token: Token, resolve: LinkResolver | None) -> Link:
    """Handle one <img>: only wiki-relative sources need resolving."""
    src = str(token.attrGet("src") or "")
    kind = classify_target(src)
    if kind != "relative":
        return Link(target=src, kind=kind, resolved_url=src, broken=False, image=True)
    return _resolve_relative(token, "src", resolve, "Image not found")


def _resolve_relative(
    token: Token, attr: str, resolve: LinkResolver | None, missing: str
) -> Link:
    """Ask the caller for the URL of a relative target; mark it broken if none."""
    written = unquote(str(token.attrGet(attr) or ""))
    image = token.type == "image"
    if resolve is None:
        return Link(
            target=written,
            kind="relative",
            resolved_url=None,
            broken=False,
            image=image,
        )
    url = resolve(written, "relative")
    if url is None:
        _mark_broken(token, f"{missing}: {written}")
        return Link(
            target=written, kind="relative", resolved_url=None, broken=True, image=image
        )
    token.attrSet(attr, url)
    return Link(
        target=written, kind="relative", resolved_url=url, broken=False, image=image
    )


def _process_wikilink(token: Token, target: str, resolve: LinkResolver | None) -> Link:
    """Resolve [[Page#section]] through the caller, or fall back to a plain path."""
    token.attrSet("class", "wikilink")
    if resolve is None:
        token.attrSet("href", _fallback_wikilink_href(target))
        return Link(target=target, kind="wikilink", resolved_url=None, broken=False)
    url = resolve(target, "wikilink")
    if url is None:
        token.attrSet("href", _fallback_wikilink_href(target))
        _mark_broken(token, f"Page not found: {target}")
        return Link(target=target, kind="wikilink", resolved_url=None, broken=True)
    token.attrSet("href", url)
    return Link(target=target, kind="wikilink", resolved_url=url, broken=False)


def _fallback_wikilink_href(target: str) -> str:
    """Build a harmless relative href when a wiki-link cannot be resolved."""
    page, _, section = target.partition("#")
    href = quote(page.strip(), safe="/")
    return f"{href}#{slugify(section)}" if section.strip() else href


def _mark_broken(token: Token, title: str) -> None:
    """Flag a link or image the wiki does not contain."""
    classes = str(token.attrGet("class") or "")
    token.attrSet("class", f"{classes} broken-link".strip())
    token.attrSet("title", title)
