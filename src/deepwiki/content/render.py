"""The content pipeline: front matter → parse → links → code → TOC → sanitise."""

from __future__ import annotations

import posixpath
import re
import secrets
from typing import Any

from markdown_it.token import Token

from .frontmatter import meta_tags, meta_text, parse_front_matter
from .headings import assign_heading_ids, build_toc
from .htmltags import convert_listings, process_raw_html
from .includes import IncludeResolver, expand_includes
from .links import LinkResolver, process_links
from .parser import COMMONMARK, MARKDOWN
from .sanitize import sanitize_generated_html, sanitize_html
from .sections import build_sections
from .types import Heading, Link, RenderedPage

# Bump whenever the HTML (or any other field) render() produces changes.
RENDER_VERSION = 2

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def render(
    source: str,
    *,
    path: str,
    resolve_link: LinkResolver | None = None,
    resolve_include: IncludeResolver | None = None,
    sanitize: bool = True,
) -> RenderedPage:
    """Turn one Markdown file into safe HTML plus the data the wiki indexes.

    resolve_include(target) returns the text of a file named by an mdBook
    `{{#include}}` (target as written, relative to `path`), or None.
    """
    env: dict[str, Any] = {}
    included: list[Link] = []
    source = expand_includes(source, resolve_include, included)
    tokens = MARKDOWN.parse(source, env)
    convert_listings(tokens)
    meta = parse_front_matter(_front_matter(tokens))
    plain = sanitize and _is_plain(tokens)
    id_marker = f"dw{secrets.token_hex(8)}-" if sanitize and not plain else ""
    raw_images = process_raw_html(tokens, resolve_link) if not plain else []
    links, headings = _transform(tokens, resolve_link, id_marker)
    links = [*included, *links, *raw_images]
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, env)
    if plain:
        html = sanitize_generated_html(html)
    elif sanitize:
        html = sanitize_html(html, id_marker=id_marker)
    title = meta_text(meta, "title") or _first_h1(headings) or _file_stem(path)
    return RenderedPage(
        html=html,
        title=title,
        description=meta_text(meta, "description"),
        tags=meta_tags(meta),
        meta=meta,
        toc=build_toc(headings),
        headings=headings,
        sections=build_sections(tokens, headings, title),
        links=links,
    )


def render_commonmark(source: str) -> str:
    """Render with a pure CommonMark parser through the same stages, unsanitised."""
    env: dict[str, Any] = {}
    tokens = COMMONMARK.parse(source, env)
    _transform(tokens, None, "")
    return COMMONMARK.renderer.render(tokens, COMMONMARK.options, env)


def _transform(
    tokens: list[Token], resolve_link: LinkResolver | None, id_marker: str
) -> tuple[list[Link], list[Heading]]:
    """Run the token stages in their fixed order: links, tables, headings."""
    links = process_links(tokens, resolve_link)
    _table_alignment(tokens)
    return links, assign_heading_ids(tokens, id_marker=id_marker)


def _is_plain(tokens: list[Token]) -> bool:
    """Tell whether the page has no raw HTML and no data: URL (fast sanitising)."""
    for token in tokens:
        if token.type == "html_block":
            return False
        for child in token.children or ():
            if child.type == "html_inline":
                return False
            if child.type in ("image", "link_open") and any(
                str(v).lstrip().lower().startswith("data:")
                for v in (child.attrs or {}).values()
            ):
                return False
    return True


def _front_matter(tokens: list[Token]) -> str:
    """Return the raw front matter text, if the page starts with one."""
    if tokens and tokens[0].type == "front_matter":
        return tokens[0].content
    return ""


def _table_alignment(tokens: list[Token]) -> None:
    """Replace markdown-it's inline style on cells with a class (no style attrs)."""
    for token in tokens:
        if token.type not in ("th_open", "td_open"):
            continue
        style = token.attrs.pop("style", None)
        match = _ALIGN.search(str(style or ""))
        if match:
            token.attrSet("class", f"align-{match.group(1)}")


def _first_h1(headings: list[Heading]) -> str:
    """Return the text of the first level-1 heading, if any."""
    return next((h.text for h in headings if h.level == 1 and h.text), "")


def _file_stem(path: str) -> str:
    """Return the file name without its extension."""
    name = posixpath.basename(path.rstrip("/"))
    stem, _ = posixpath.splitext(name)
    return stem or name


__all__ = ["RENDER_VERSION", "render", "render_commonmark"]
