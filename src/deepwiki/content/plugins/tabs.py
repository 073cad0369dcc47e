"""MkDocs Material content tabs: ``=== "Label"`` followed by an indented body.

Consecutive tabs form one set (``===!`` starts a new set, ``===+`` selects a
tab). A set renders as ``<div class="tabbed-set">`` holding one
``<details name="…">`` per tab: the browser keeps exactly one open per name
(an exclusive group), so the tabs switch without JavaScript, and each
``<summary>`` is a focusable control (Tab to reach, Enter/Space to open).
CSS lays the summaries out as a tab row; a browser without that CSS shows an
accordion, which still works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.utils import is_code_block

_HEAD = re.compile(r"""^===([!+]{0,2})[ \t]+("(.*)"|'(.*)'|(.+?))[ \t]*$""")


def tabs_plugin(md: MarkdownIt) -> None:
    """Register the tab block rule, the grouping rule and their renderers."""
    md.block.ruler.before(
        "fence", "tabbed", _tab_rule, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.core.ruler.after("block", "tabbed_sets", _group)
    for name in ("tab_open", "tab_close", "tabset_open", "tabset_close"):
        md.add_render_rule(name, _render)
    for name in (
        "tab_label_open",
        "tab_label_close",
        "tab_body_open",
        "tab_body_close",
    ):
        md.add_render_rule(name, _render)


def _tab_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("===", pos):
        return False
    match = _HEAD.match(state.src[pos : state.eMarks[start]])
    if not match:
        return False
    if silent:
        return True
    state.env["has_tabs"] = True
    flags = match.group(1)
    label = next(g for g in match.group(3, 4, 5) if g is not None)
    line = _body_end(state, start, end)
    opening = state.push("tab_open", "details", 1)
    opening.map = [start, line]
    opening.meta = {"new_set": "!" in flags, "selected": "+" in flags}
    state.push("tab_label_open", "summary", 1)
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = label.strip(), [start, start + 1], []
    state.push("tab_label_close", "summary", -1)
    state.push("tab_body_open", "div", 1)
    old_indent, old_parent, old_max = state.blkIndent, state.parentType, state.lineMax
    state.blkIndent = state.sCount[start] + 4
    state.parentType, state.lineMax = "tabbed", line  # type: ignore[assignment]
    state.md.block.tokenize(state, start + 1, line)
    state.blkIndent, state.parentType, state.lineMax = old_indent, old_parent, old_max
    state.push("tab_body_close", "div", -1)
    state.push("tab_close", "details", -1)
    state.line = line
    return True


def _body_end(state: StateBlock, start: int, end: int) -> int:
    """The body is every following line indented 4+ more, or blank."""
    indent = state.sCount[start] + 4
    line, last = start + 1, start + 1
    while line < end:
        blank = state.isEmpty(line)
        if not blank and state.sCount[line] < indent:
            break
        line += 1
        if not blank:
            last = line
    return last


def _group(state: StateCore) -> None:
    """Wrap runs of sibling tabs in tabset tokens and number the sets."""
    if not state.env.get("has_tabs"):
        return
    out: list[Token] = []
    counter = 0
    levels: list[int] = []  # levels of the sets still open, innermost last
    previous: Token | None = None

    def close_above(highest: int) -> None:
        """Close the open sets nested deeper than `highest`."""
        while levels and levels[-1] > highest:
            out.append(_set_token("tabset_close", -1, levels.pop()))

    for token in state.tokens:
        level = token.level
        if token.type == "tab_open":
            close_above(level)
            consecutive = (
                previous is not None
                and previous.type == "tab_close"
                and previous.level == level
            )
            if (
                levels
                and levels[-1] == level
                and (not consecutive or token.meta.get("new_set"))
            ):
                close_above(level - 1)
            if not levels or levels[-1] != level:
                counter += 1
                out.append(_set_token("tabset_open", 1, level, counter))
                levels.append(level)
            token.meta["set"] = counter
        elif token.type == "tab_close":
            close_above(level)
        else:
            close_above(level - 1)
        out.append(token)
        previous = token
    close_above(-1)
    state.tokens = out
    _select(out)


def _set_token(kind: str, nesting: int, level: int, number: int = 0) -> Token:
    token = Token(kind, "div", nesting)
    token.block, token.level, token.meta = True, level, {"set": number}
    return token


def _select(tokens: list[Token]) -> None:
    """Open the first tab of each set, or the one written with `===+`."""
    current: list[list[Token]] = []
    for token in tokens:
        if token.type == "tabset_open":
            current.append([])
        elif token.type == "tab_open" and current:
            current[-1].append(token)
        elif token.type == "tabset_close" and current:
            tabs = current.pop()
            chosen = next(
                (t for t in tabs if t.meta.get("selected")), tabs[0] if tabs else None
            )
            if chosen is not None:
                chosen.meta["open"] = True


def _render(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    kind = token.type
    if kind == "tabset_open":
        return '<div class="tabbed-set">\n'
    if kind in ("tabset_close", "tab_body_close"):
        return "</div>\n"
    if kind == "tab_open":
        name = f"tabs-{int(token.meta.get('set', 0))}"
        is_open = " open" if token.meta.get("open") else ""
        return f'<details class="tabbed-tab" name="{escape(name)}"{is_open}>\n'
    if kind == "tab_close":
        return "</details>\n"
    if kind == "tab_label_open":
        return '<summary class="tabbed-label">'
    if kind == "tab_label_close":
        return "</summary>\n"
    return '<div class="tabbed-block">\n'
