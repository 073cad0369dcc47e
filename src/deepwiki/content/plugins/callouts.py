"""Callouts in the four syntaxes people write, rendered as one element.

- GitHub alerts ``> [!NOTE]`` (markdown-it-py's built-in ``alerts`` option),
  plus the Obsidian form ``> [!tip] Custom title``;
- MkDocs admonitions ``!!! note "Title"`` and collapsible ``???``/``???+``
  (mdit-py-plugins ``admon``);
- Docusaurus/VitePress containers ``:::tip Title`` / ``:::note[Title]``
  (mdit-py-plugins ``container``);
- fences named after a kind: ```` ```note ````, ```` ```warning ```` …

Every form becomes ``callout_open``/``callout_title_*``/``callout_close``
tokens: a ``<div class="callout callout-KIND">`` (or ``<details>`` when
collapsible) whose first child is the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin

# The kinds that get their own colour; synonyms map onto them.
KINDS = ("note", "tip", "important", "warning", "caution", "danger", "info")
_SYNONYMS = {
    "abstract": "note",
    "summary": "note",
    "tldr": "note",
    "todo": "note",
    "seealso": "note",
    "example": "note",
    "quote": "note",
    "cite": "note",
    "details": "note",
    "hint": "tip",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "question": "info",
    "help": "info",
    "faq": "info",
    "attention": "warning",
    "failure": "danger",
    "fail": "danger",
    "missing": "danger",
    "bug": "danger",
    "error": "danger",
}
FENCE_KINDS = frozenset({*KINDS, "hint", "danger", "error"})
# `:::tip Title`, `:::note[Title]`, `::: warning`, Pandoc's `::: {.note}`.
_CONTAINER_PARAMS = re.compile(
    r"^\s*\{?\s*\.?([A-Za-z][\w-]{0,30})\}?(?:\[([^\]]*)\])?\s*(.*)$"
)
_OBSIDIAN = re.compile(r"^\[!([A-Za-z][\w-]{0,30})\]([+-]?)[ \t]*(.*)$", re.S)


_SOURCE_TYPES = frozenset(
    {
        "alert_open",
        "admonition_open",
        "container_callout_open",
        "container_fencecallout_open",
    }
)
_CLOSERS = frozenset(
    {
        "alert_close",
        "admonition_close",
        "container_callout_close",
        "container_fencecallout_close",
    }
)


def kind_class(name: str) -> str:
    """Map any admonition/alert name onto one of the styled kinds."""
    name = name.lower()
    if name in KINDS:
        return name
    return _SYNONYMS.get(name, "note")


def callouts_plugin(md: MarkdownIt) -> None:
    """Register every callout syntax and the rule that unifies their tokens."""
    md.options["alerts"] = True
    admon_plugin(md)
    container_plugin(md, "callout", marker=":", validate=_valid_container)
    container_plugin(md, "fencecallout", marker="`", validate=_valid_fence)
    md.core.ruler.after("block", "callouts", _unify)
    for name in ("callout_open", "callout_close"):
        md.add_render_rule(name, _render_box)
    for name in ("callout_title_open", "callout_title_close"):
        md.add_render_rule(name, _render_title)


def _valid_container(params: str, markup: str) -> bool:
    return bool(_CONTAINER_PARAMS.match(params))


def _valid_fence(params: str, markup: str) -> bool:
    words = params.split()
    return len(words) >= 1 and words[0].lower() in FENCE_KINDS


def _unify(state: StateCore) -> None:
    """Turn each plugin's tokens into callout tokens (before inline parsing)."""
    types = {t.type for t in state.tokens}
    plugins = not _SOURCE_TYPES.isdisjoint(types)
    obsidian = "blockquote_open" in types and "[!" in state.src
    if not (plugins or obsidian):
        return
    out = _convert_plugin_tokens(state.tokens) if plugins else state.tokens
    if obsidian:
        _close_obsidian(out)
    _pair(out)
    state.tokens = out


def _convert_plugin_tokens(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        kind = token.type
        if kind == "alert_open":
            _open(token, token.meta.get("kind", "note"), collapsible="")
        elif kind in ("alert_title_open", "alert_title_close"):
            token.type = kind.replace("alert_", "callout_")
        elif kind == "admonition_open":
            _from_admonition(token)
        elif kind in ("admonition_title_open", "admonition_title_close"):
            token.type = kind.replace("admonition_", "callout_")
        elif kind in ("container_callout_open", "container_fencecallout_open"):
            out.extend(_from_container(token, fence=kind.endswith("fencecallout_open")))
            continue
        elif kind in _CLOSERS:
            token.type = "callout_close"
        out.append(token)
    return out


def _pair(tokens: list[Token]) -> None:
    """Give closing and title tokens their box's meta (renderers read only it)."""
    stack: list[Token] = []
    for token in tokens:
        if token.type == "callout_open":
            stack.append(token)
        elif token.type in ("callout_title_open", "callout_title_close") and stack:
            token.meta = stack[-1].meta
        elif token.type == "callout_close" and stack:
            token.meta = stack.pop().meta


def _open(token: Token, name: str, *, collapsible: str) -> None:
    token.type = "callout_open"
    token.meta = {"kind": kind_class(name), "collapsible": collapsible}


def _from_admonition(token: Token) -> None:
    markup = token.markup or "!!!"
    collapsible = (
        "" if markup == "!!!" else ("open" if markup.endswith("+") else "closed")
    )
    _open(token, token.meta.get("tag", "note") or "note", collapsible=collapsible)


def _from_container(token: Token, *, fence: bool) -> list[Token]:
    """A container carries its title in the info string: add title tokens."""
    match = _CONTAINER_PARAMS.match(token.info)
    name = match.group(1) if match else "note"
    title = ((match.group(2) or match.group(3)) if match else "").strip()
    if fence:
        title = token.info.strip()[len(name) :].strip()
    if name.lower() == "code-group":
        token.type = "callout_open"
        token.meta = {"group": True}
        return [token]
    collapsible = "closed" if name.lower() == "details" else ""
    _open(token, name, collapsible=collapsible)
    return [token, *_title_tokens(title or _default_title(name), token.level + 1)]


def _default_title(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").capitalize()


def _title_tokens(title: str, level: int) -> list[Token]:
    opening = Token("callout_title_open", "p", 1)
    inline = Token("inline", "", 0, content=title, children=[])
    closing = Token("callout_title_close", "p", -1)
    for t in (opening, inline, closing):
        t.block, t.level = True, level
    inline.block = True
    return [opening, inline, closing]


def _close_obsidian(tokens: list[Token]) -> None:
    """Rewrite blockquotes whose first line is `[!kind] title` into callouts."""
    stack: list[tuple[int, bool]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            converted = _convert_obsidian(tokens, i)
            stack.append((i, converted))
        elif token.type == "blockquote_close" and stack:
            _, converted = stack.pop()
            if converted:
                token.type = "callout_close"
        i += 1


def _convert_obsidian(tokens: list[Token], index: int) -> bool:
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return False
    inline = tokens[index + 2]
    first, _, rest = inline.content.partition("\n")
    match = _OBSIDIAN.match(first)
    if not match:
        return False
    name, fold, title = match.groups()
    opening = tokens[index]
    _open(opening, name, collapsible={"": "", "+": "open", "-": "closed"}[fold])
    titles = _title_tokens(title.strip() or _default_title(name), opening.level + 1)
    if rest.strip():
        inline.content = rest
        tokens[index + 1 : index + 1] = titles
    else:  # the paragraph held only the marker line
        tokens[index + 1 : index + 4] = titles
    return True


def _render_box(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    meta = token.meta or {}
    if meta.get("group"):
        return '<div class="code-group">\n' if token.nesting == 1 else "</div>\n"
    tag = "details" if meta.get("collapsible") else "div"
    if token.nesting == -1:
        return f"</{tag}>\n"
    kind = escape(meta.get("kind", "note"))
    is_open = " open" if meta.get("collapsible") == "open" else ""
    return f'<{tag} class="callout callout-{kind}"{is_open}>\n'


def _render_title(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    tag = "summary" if (token.meta or {}).get("collapsible") else "p"
    if token.nesting == 1:
        return f'<{tag} class="callout-title">'
    return f"</{tag}>\n"
