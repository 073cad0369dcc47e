"""One block rule and one inline rule in front of the dialect plugins.

Each plugin's rule would otherwise run at the start of every line (block) or
at every special character (inline), most of them checking the first
character only after a function call or a regular expression. The dispatcher
looks at that character once and calls only the rule that can match, which
keeps the render benchmark within its budget. Behaviour is unchanged: in
"silent" mode (a line asking whether it interrupts a paragraph, list or
quote) only the rules that could interrupt before still do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

# Block rule names → the first characters they can start with.
_BLOCK_STARTS = {
    "admonition": "!?",
    "container_callout": ":",
    "container_fencecallout": "`",
    "tabbed": "=",
    "math_block": "$\\",
    "math_block_eqno": "\\",
    "attr": "{",
    "amsmath": "\\",
}
# Rules that used to be allowed to interrupt a paragraph, a list or a quote.
_INTERRUPTING = {
    "admonition",
    "container_callout",
    "container_fencecallout",
    "tabbed",
    "amsmath",
}
_INLINE_STARTS = {"math_inline": "$\\", "mark": "=", "attr": "{"}


def _take(ruler: Any, names: set[str]) -> list[tuple[str, Callable]]:
    """Remove the named rules from a ruler, returning (name, fn) in order."""
    taken = [(r.name, r.fn) for r in ruler.__rules__ if r.name in names]
    ruler.__rules__ = [r for r in ruler.__rules__ if r.name not in names]
    ruler.__cache__ = None
    return taken


def dispatch_plugin(md: MarkdownIt) -> None:
    """Replace the dialects' block and inline rules by one dispatcher each."""
    taken = _take(md.block.ruler, set(_BLOCK_STARTS))
    loud: dict[str, list[Callable]] = {}
    quiet: dict[str, list[Callable]] = {}
    for name, fn in taken:
        for char in _BLOCK_STARTS[name]:
            loud.setdefault(char, []).append(fn)
            if name in _INTERRUPTING:
                quiet.setdefault(char, []).append(fn)

    def dialect_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[start] + state.tShift[start]
        rules = (quiet if silent else loud).get(state.src[pos : pos + 1])
        if not rules:
            return False
        return any(rule(state, start, end, silent) for rule in rules)

    md.block.ruler.before(
        "fence",
        "dialect_block",
        dialect_block,
        {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]},
    )
    inline = _take(md.inline.ruler, set(_INLINE_STARTS))
    by_char: dict[str, list[Callable]] = {}
    for name, fn in inline:
        for char in _INLINE_STARTS[name]:
            by_char.setdefault(char, []).append(fn)

    def dialect_inline(state: StateInline, silent: bool) -> bool:
        rules = by_char.get(state.src[state.pos])
        if not rules:
            return False
        if (
            state.src[state.pos] == "\\"
            and state.src[state.pos + 1 : state.pos + 2] not in "(["
        ):
            return False
        return any(rule(state, silent) for rule in rules)

    md.inline.ruler.before("escape", "dialect_inline", dialect_inline)
