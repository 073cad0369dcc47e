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
    md.use(amsmath_plugin)
    for name in INLINE_TYPES:
        md.add_render_rule(name, _render_inline)
    for name in BLOCK_TYPES:
        md.add_render_rule(name, _render_block)


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
