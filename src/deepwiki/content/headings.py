"""Heading ids, hover anchors, the heading list and the h2/h3 table of contents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from .types import Heading

_NOT_SLUG = re.compile(r"[^\w\- ]+")
_SPACES = re.compile(r"\s")
# Inline tokens whose content is text a reader sees (math as its TeX source).
_TEXT_TYPES = frozenset(
    {"text", "code_inline", "math_inline", "math_inline_double", "icon_label"}
)
_CUSTOM_ID = re.compile(r"^[A-Za-z0-9_][\w\-:.]{0,99}$")
# Site templates keep their own ids under this prefix; headings never take it.
_RESERVED_PREFIX = "dw-"


def slugify(text: str) -> str:
    """Make the id GitHub gives a heading: `A & B` → `a--b`, never truncated."""
    slug = _SPACES.sub("-", _NOT_SLUG.sub("", text.strip().lower()))
    if not slug.strip("-"):
        return "section"
    if slug.startswith(_RESERVED_PREFIX):
        return "h-" + slug
    return slug


def inline_text(tokens: Sequence[Token] | None) -> str:
    """Return the plain text of inline children (no markup, no raw HTML)."""
    parts: list[str] = []
    for child in tokens or ():
        if child.type in _TEXT_TYPES:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(inline_text(child.children))
    return "".join(parts)


def assign_heading_ids(tokens: list[Token], *, id_marker: str = "") -> list[Heading]:
    """Give every heading a unique id and anchor link; return them in order.

    id_marker is prepended to the id attribute only, so the sanitiser can tell
    pipeline ids from ids written in raw HTML (it strips the marker again).
    """
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = inline_text(inline.children).strip()
        custom = str((token.meta or {}).get("custom_id") or "")
        wanted = (
            custom
            if _CUSTOM_ID.match(custom) and not custom.startswith(_RESERVED_PREFIX)
            else slugify(text)
        )
        anchor = _unique(wanted, used, next_suffix)
        token.attrSet("id", id_marker + anchor)
        inline.children = [*(inline.children or []), *_anchor_tokens(anchor)]
        headings.append(Heading(id=anchor, text=text, level=int(token.tag[1])))
    _mark_block_ids(tokens, id_marker, used)
    return headings


def _mark_block_ids(tokens: list[Token], id_marker: str, used: set[str]) -> None:
    """Keep `{#id}` ids written in Markdown as link targets (like heading ids)."""
    for token in tokens:
        value = token.attrs.get("id") if token.attrs else None
        if value is None or token.type == "heading_open":
            continue
        value = str(value)
        if _CUSTOM_ID.match(value) and not value.startswith(_RESERVED_PREFIX):
            if value not in used:
                used.add(value)
                token.attrSet("id", id_marker + value)
                continue
        del token.attrs["id"]


def _unique(slug: str, used: set[str], next_suffix: dict[str, int]) -> str:
    """De-duplicate with -1, -2 … suffixes, remembering the next one to try."""
    if slug not in used:
        used.add(slug)
        return slug
    n = next_suffix.get(slug, 1)
    while f"{slug}-{n}" in used:
        n += 1
    next_suffix[slug] = n + 1
    used.add(f"{slug}-{n}")
    return f"{slug}-{n}"


def _anchor_tokens(anchor: str) -> list[Token]:
    """Build the hover '#' link placed after the heading text."""
    link = Token("link_open", "a", 1)
    link.attrs = {
        "class": "heading-anchor",
        "href": f"#{anchor}",
        "aria-label": "Link to this section",
    }
    link.meta = {"heading_anchor": True}
    return [
        Token("text", "", 0, content=" "),
        link,
        Token("text", "", 0, content="#"),
        Token("link_close", "a", -1),
    ]


def build_toc(headings: Sequence[Heading]) -> list[dict[str, Any]]:
    """Nest h3 under the preceding h2; other levels are left out."""
    toc: list[dict[str, Any]] = []
    for heading in headings:
        if heading.level not in (2, 3):
            continue
        entry = {
            "id": heading.id,
            "text": heading.text,
            "level": heading.level,
            "children": [],
        }
        if heading.level == 3 and toc and toc[-1]["level"] == 2:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    return toc
