"""Inline rule for [[Page]], [[Page|label]] and [[Page#section]] wiki-links."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_MAX_TARGET = 300


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Register the wiki-link rule before the standard link rule."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Turn [[target|label]] into link_open/text/link_close tokens."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    # Bounded search: an unclosed "[[" must not make parsing quadratic.
    end = src.find("]]", pos + 2, pos + 4 + _MAX_TARGET)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner or len(inner) > _MAX_TARGET:
        return False
    target, _, label = inner.partition("|")
    target, label = target.strip(), label.strip()
    if not target:
        return False
    if not silent:
        _push_link(state, target, label or target)
    state.pos = end + 2
    return True


def _push_link(state: StateInline, target: str, label: str) -> None:
    """Emit tokens; the href is filled in by the link stage."""
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": ""}
    token.meta = {"wikilink": target}
    token.markup = "wikilink"
    text = state.push("text", "", 0)
    text.content = label
    state.push("link_close", "a", -1)
