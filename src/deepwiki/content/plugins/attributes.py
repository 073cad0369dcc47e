"""Attribute lists: ``## Title {#id .class}``, ``{: .class}`` lines, ``{#id}``
blocks and ``![img](a.png){ width="300" }``.

Block and inline forms come from mdit-py-plugins ``attrs``; the trailing form
on headings and paragraphs (Python-Markdown ``attr_list``, Pandoc, kramdown)
is handled here. Only a few attributes are kept; the syntax never shows.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse

ALLOWED = ("id", "class", "width", "height", "title", "loading")
# Only lists that start with an id or a class: "## Set {x=1}" stays text.
_TRAILING = re.compile(r"[ \t]*\{:?[ \t]*([#.][^{}\n]*)\}[ \t]*$")


def attributes_plugin(md: MarkdownIt) -> None:
    """Register block, inline and trailing attribute lists."""
    md.use(attrs_block_plugin, allowed=ALLOWED)
    md.use(attrs_plugin, allowed=ALLOWED)
    _only_with_attr_blocks(md)
    md.core.ruler.after("inline", "trailing_attrs", _trailing)


def _only_with_attr_blocks(md: MarkdownIt) -> None:
    """Skip the library's whole-document pass on pages with no `{…}` block line."""
    rule = next(r for r in md.core.ruler.__rules__ if r.name == "attr")
    resolve = rule.fn

    def guarded(state: StateCore) -> None:
        if "{" in state.src and "attrs_block" in {t.type for t in state.tokens}:
            resolve(state)

    md.core.ruler.at("attr", guarded)


def _trailing(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or "{" not in token.content or index == 0:
            continue
        opening = tokens[index - 1]
        if opening.type not in ("heading_open", "paragraph_open"):
            continue
        last = token.children[-1] if token.children else None
        if last is None or last.type != "text":
            continue
        match = _TRAILING.search(last.content)
        if not match:
            continue
        attrs = _parse("{" + match.group(1) + "}")
        if attrs is None:
            continue
        last.content = last.content[: match.start()].rstrip()
        token.content = _TRAILING.sub("", token.content).rstrip()
        _strip_break(token.children)
        _apply(opening, attrs)
        if opening.type == "paragraph_open" and not _visible(token.children):
            opening.hidden = tokens[index + 1].hidden = True


def _parse(text: str) -> dict[str, str] | None:
    try:
        _, attrs = parse(text)
    except ParseError:
        return None
    return {k: v for k, v in attrs.items() if k in ALLOWED}


def _apply(token: Token, attrs: dict[str, str]) -> None:
    if "id" in attrs:
        token.meta = {**(token.meta or {}), "custom_id": attrs.pop("id")}
    token.attrs.update(attrs)


def _strip_break(children: list[Token]) -> None:
    """Drop the line break left before a `{: …}` line at the end of a paragraph."""
    while children and (
        children[-1].type in ("softbreak", "hardbreak")
        or (children[-1].type == "text" and not children[-1].content)
    ):
        children.pop()


def _visible(children: list[Token]) -> bool:
    return any(c.type != "text" or c.content.strip() for c in children)
