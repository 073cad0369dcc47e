"""Emoji and icon shortcodes in text: ``:tada:`` → 🎉, ``:material-cog:`` → label.

Emoji come from the ``emoji`` package's table (GitHub/Slack aliases). MkDocs
Material icon shortcodes (``:material-…:``, ``:octicons-…-16:``,
``:fontawesome-brands-…:``, ``:simple-…:``) need an icon font DeepWiki does
not ship: a few common ones become a Unicode sign, the rest a small text
label, never the raw shortcode.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_SHORTCODE = re.compile(r":([a-z0-9_+\-]{1,80}):")
_ICON_SETS = ("material-", "octicons-", "fontawesome-", "simple-")
_ICON_SIZE = re.compile(r"-(12|16|24)$")
_ICON_STYLE = re.compile(r"^(brands|regular|solid)-")
# What the commonest icons mean, in a character every font has.
_ICON_SIGNS = {
    "check": "✓",
    "check-bold": "✓",
    "check-circle": "✓",
    "check-all": "✓",
    "close": "✗",
    "x": "✗",
    "close-circle": "✗",
    "minus": "−",
    "plus": "+",
    "arrow-right": "→",
    "arrow-left": "←",
    "chevron-right": "›",
    "information": "ℹ",
    "information-outline": "ℹ",
    "info": "ℹ",
    "alert": "⚠",
    "alert-outline": "⚠",
    "star": "★",
    "heart": "♥",
}


def shortcodes_plugin(md: MarkdownIt) -> None:
    """Replace shortcodes in text tokens after inline parsing (not in code)."""
    md.core.ruler.after("inline", "shortcodes", _replace_all)
    md.add_render_rule("icon_label", _render_icon)


def _replace_all(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children or ":" not in block.content:
            continue
        children: list[Token] = []
        changed = False
        for child in block.children:
            if child.type == "text" and ":" in child.content:
                parts = _split(child)
                changed = changed or len(parts) != 1 or parts[0] is not child
                children.extend(parts)
            else:
                children.append(child)
        if changed:
            block.children = children


def _split(token: Token) -> list[Token]:
    """Return the text token, or text + icon tokens with emoji substituted."""
    text = token.content
    out: list[Token] = []
    pending: list[str] = []
    last = 0
    for match in _SHORTCODE.finditer(text):
        name = match.group(1)
        replacement = emoji_for(name)
        if replacement is None and not name.startswith(_ICON_SETS):
            continue
        pending.append(text[last : match.start()])
        last = match.end()
        if replacement is not None:
            pending.append(replacement)
            continue
        sign, label = icon_for(name)
        if sign:
            pending.append(sign)
            continue
        out.append(_text("".join(pending)))
        pending = []
        icon = Token("icon_label", "span", 0, content=label)
        out.append(icon)
    if not out and not pending:
        return [token]
    pending.append(text[last:])
    out.append(_text("".join(pending)))
    return [t for t in out if t.type != "text" or t.content]


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


@lru_cache(maxsize=4096)
def emoji_for(name: str) -> str | None:
    """Return the emoji for a GitHub/Slack shortcode name, if there is one."""
    import emoji

    return emoji.get_emoji_by_name(f":{name}:", "alias")


def icon_for(name: str) -> tuple[str, str]:
    """Return (sign, label) for an icon shortcode: a sign for common icons."""
    bare = name.split("-", 1)[1] if "-" in name else name
    bare = _ICON_STYLE.sub("", _ICON_SIZE.sub("", bare))
    if bare in _ICON_SIGNS:
        return _ICON_SIGNS[bare], ""
    return "", bare.replace("-", " ")


def _render_icon(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    from html import escape

    return f'<span class="icon-label">{escape(tokens[idx].content)}</span>'
