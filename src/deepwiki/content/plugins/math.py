"""TeX math to MathML at write time: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``,
``\\begin{align}…`` and ```` ```math ```` fences.

Parsing comes from mdit-py-plugins (dollarmath, texmath, amsmath); latex2mathml
turns the TeX into MathML, which every current browser renders without script.
TeX that does not convert shows as an inline error box holding the source.
The sanitiser still checks the MathML (see sanitize.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

MAX_TEX = 5000
INLINE_TYPES = ("math_inline", "math_inline_double")
BLOCK_TYPES = ("math_block", "math_block_label", "math_block_eqno", "amsmath")


def math_plugin(md: MarkdownIt) -> None:
    """Parse every math syntax and render it as MathML."""
    # GitHub's rules: no space inside the dollars and no digit right after the
    # closing one, so "costs $5 and $6" stays text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    # texmath's inline rule rescans the rest of the paragraph at every "\(":
    # quadratic on "\( \( \( …". This one searches once and remembers misses.
    _replace_bracket_inline(md)
    md.use(amsmath_plugin)
    for name in INLINE_TYPES:
        md.add_render_rule(name, _render_inline)
    for name in BLOCK_TYPES:
        md.add_render_rule(name, _render_block)


def _replace_bracket_inline(md: MarkdownIt) -> None:
    """Swap texmath's inline `\\(…\\)` rule (the second "math_inline") for ours."""
    rules = [r for r in md.inline.ruler.__rules__ if r.name == "math_inline"]
    rules[-1].fn = _bracket_inline
    md.inline.ruler.__cache__ = None


def _bracket_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("\\(", pos):
        return False
    if state.posMax <= getattr(state, "_dw_no_closer_before", -1):
        return False  # known: no closer between here and posMax
    end = src.find("\\)", pos + 2, state.posMax)
    if end < 0:  # none after here, so none after any later "\\(" either
        state._dw_no_closer_before = state.posMax
        return False
    content = src[pos + 2 : end]
    if not content.strip():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = content, "\\("
    state.pos = end + 2
    return True


def _render_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    return tex_to_mathml(token.content, display=token.type == "math_inline_double")


def _render_block(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return f'<div class="math-display">{tex_to_mathml(tokens[idx].content, display=True)}</div>\n'


@lru_cache(maxsize=2048)
def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """Convert TeX to MathML; invalid TeX becomes an error box showing the source."""
    from latex2mathml.converter import convert

    source = tex.strip()
    if not source:
        return ""
    try:
        if len(source) > MAX_TEX:
            raise ValueError("formula too long")
        return convert(source, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; any of them means "invalid"
        return (
            '<span class="math-error" title="This formula could not be read as TeX">'
            f"<code>{escape(source, quote=False)}</code></span>"
        )
