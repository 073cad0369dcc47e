"""Raw HTML the pipeline understands before sanitising it.

- ``<img src="relative.png">`` is resolved and checked like a Markdown image;
- ``<a id="x">`` also gets ``name="x"``: the sanitiser prefixes raw ids
  (``user-content-x``) but keeps ``name`` on links as written, and browsers
  scroll to ``<a name>`` for ``#x``, so old-style anchors keep working;
- mdBook's ``<Listing number= file-name= caption=>`` becomes a figure with its
  caption.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape, unescape
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from .links import LinkResolver, classify_target
from .types import Link

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_A_OPEN = re.compile(r"<a\b[^>]*>", re.I)
_ATTR = re.compile(r"""(\s)([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""", re.S)
_LISTING_OPEN = re.compile(r"^\s*<Listing\b([^>]*)>[ \t]*\n?", re.I)
_LISTING_CLOSE = re.compile(r"^\s*</Listing>[ \t]*\n?", re.I)


def _attrs(tag: str) -> dict[str, str]:
    """Read a start tag's attributes (first one wins, like a browser)."""
    found: dict[str, str] = {}
    for match in _ATTR.finditer(tag):
        value = match.group(3) or ""
        if value[:1] in "\"'":
            value = value[1:-1]
        found.setdefault(match.group(2).lower(), unescape(value))
    return found


def _html_tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "html_block":
            yield token
        for child in token.children or ():
            if child.type == "html_inline":
                yield child


def process_raw_html(tokens: list[Token], resolve: LinkResolver | None) -> list[Link]:
    """Rewrite raw <img> sources and <a id> anchors; return the images found."""
    found: list[Link] = []
    for token in _html_tokens(tokens):
        content = token.content
        if "<img" in content.lower() or "<IMG" in content:
            content = _IMG.sub(lambda m: _image(m.group(0), resolve, found), content)
        if "<a" in content.lower():
            content = _A_OPEN.sub(_anchor, content)
        token.content = content
    return found


def _image(tag: str, resolve: LinkResolver | None, found: list[Link]) -> str:
    src = _attrs(tag).get("src", "").strip()
    if not src or classify_target(src) != "relative":
        return tag
    written = unquote(src)
    url = resolve(written, "relative") if resolve is not None else None
    broken = resolve is not None and url is None
    found.append(
        Link(
            target=written, kind="relative", resolved_url=url, broken=broken, image=True
        )
    )
    if url is not None:
        return _set_src(tag, url)
    if broken:
        title = escape(f"Image not found: {written}")
        return f'<img class="broken-link" title="{title}"{tag[4:]}'
    return tag


def _set_src(tag: str, url: str) -> str:
    done = [False]

    def swap(match: re.Match[str]) -> str:
        if done[0] or match.group(2).lower() != "src":
            return match.group(0)
        done[0] = True
        return f'{match.group(1)}src="{escape(url)}"'

    return _ATTR.sub(swap, tag)


def _anchor(match: re.Match[str]) -> str:
    tag = match.group(0)
    attrs = _attrs(tag)
    if "id" not in attrs or "name" in attrs:
        return tag
    return f'<a name="{escape(attrs["id"])}"{tag[2:]}'


def convert_listings(tokens: list[Token]) -> None:
    """Turn `<Listing …>` / `</Listing>` html blocks into figure tokens."""
    for index, token in enumerate(tokens):
        if token.type != "html_block" or "isting" not in token.content[:20]:
            continue
        opening = _LISTING_OPEN.match(token.content)
        if opening and not token.content[opening.end() :].strip():
            tokens[index] = _listing_token("listing_open", 1, _attrs(opening.group(1)))
        elif (
            _LISTING_CLOSE.match(token.content)
            and not _LISTING_CLOSE.sub("", token.content).strip()
        ):
            tokens[index] = _listing_token("listing_close", -1, {})


def _listing_token(kind: str, nesting: int, attrs: dict[str, str]) -> Token:
    token = Token(kind, "figure", nesting)
    token.block, token.meta = True, attrs
    return token


def render_listing(
    self: Any, tokens: list[Token], idx: int, options: Any, env: Any
) -> str:
    """Render the figure; the caption reads like mdBook's ("Listing 1-2: …")."""
    token = tokens[idx]
    if token.nesting == -1:
        return "</figure>\n"
    meta = token.meta or {}
    parts = []
    if meta.get("file-name"):
        parts.append(
            f'<p class="listing-file">Filename: <code>{escape(meta["file-name"])}</code></p>'
        )
    caption = meta.get("caption", "").strip()
    number = meta.get("number", "").strip()
    label = f"Listing {number}" if number else ("Listing" if caption else "")
    if label:
        text = f"<strong>{escape(label)}</strong>" + (
            f": {escape(caption)}" if caption else ""
        )
        parts.append(f"<figcaption>{text}</figcaption>")
    return '<figure class="listing">\n' + "\n".join(parts) + "\n"
