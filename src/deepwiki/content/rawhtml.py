"""Raw HTML in Markdown cannot hide the rest of the page.

An unclosed ``<style>``, ``<textarea>``, ``<!--`` … swallows everything after
it: CommonMark runs such an HTML block to the end of the document, and the
HTML parser reads the rest as raw text, which the sanitiser then removes with
the element, while the table of contents still lists the headings it lost.

This markdown-it plugin keeps every piece of raw HTML to itself:

1. An HTML block that waits for an end marker (``</style>``, ``-->``, ``?>``,
   ``>``, ``]]>``) that never comes ends at the next blank line instead of at
   the end of the document, so the Markdown after it is parsed as Markdown.
2. Each HTML block, and the raw HTML of each paragraph or heading, is
   balanced: comments and the elements whose content the sanitiser removes
   (``sanitize.DROP_WITH_CONTENT``) that are still open at its end are closed
   there. Whether something is still open is asked of the sanitiser's own HTML
   parser (nh3), so the check and the sanitiser cannot disagree.
3. What cannot be closed (``<plaintext>``, a tag or attribute left open) is
   escaped and shown as text.

The sanitiser itself is unchanged and still runs last.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .sanitize import DROP_WITH_CONTENT

# HTML block kinds 1-5 of CommonMark 4.6: the opener and the marker ending them.
_UNTIL_MARKER = [
    (
        re.compile(r"^<(?:script|pre|style|textarea)(?=\s|>|$)", re.IGNORECASE),
        re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
    ),
    (re.compile(r"^<!--"), re.compile(r"-->")),
    (re.compile(r"^<\?"), re.compile(r"\?>")),
    (re.compile(r"^<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>")),
]
# Elements whose content the HTML tokenizer does not parse as markup.
_RAW_TEXT = frozenset(
    "script style textarea title xmp iframe noembed noframes noscript".split()
)
_VOID = frozenset({"embed"})
_DROPPED = "|".join(sorted(DROP_WITH_CONTENT))
_INLINE_SUSPECT = re.compile(rf"<(?:{_DROPPED})(?=[\s/>]|$)", re.IGNORECASE)
_TAG_OR_COMMENT = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9]*)")
_COMMENT_END = re.compile(r"--!?>")
# A secret text the page cannot contain: if it does not come out of the
# sanitiser's parser as an element, the HTML before it swallowed it.
_PROBE = f"<kbd>dw{secrets.token_hex(8)}</kbd>"
_PROBE_OPTIONS = {
    "tags": {"kbd"},
    "attributes": {},
    "clean_content_tags": set(DROP_WITH_CONTENT),
    "strip_comments": True,
}


def raw_html_plugin(md: MarkdownIt) -> None:
    """Keep raw HTML from swallowing the Markdown after it (see module docs)."""
    rules = md.block.ruler.__rules__
    rule = rules[md.block.ruler.__find__("html_block")]
    md.block.ruler.at(
        "html_block", _ending_at_blank_line(rule.fn), {"alt": list(rule.alt)}
    )
    md.core.ruler.after("inline", "raw_html_balance", _balance_core_rule)


def swallows(html: str) -> bool:
    """Tell whether HTML leaves the parser in a state that eats what follows."""
    return _PROBE not in nh3.clean(html + _PROBE, **_PROBE_OPTIONS)


def balance(html: str) -> str:
    """Return HTML that eats nothing after it: closed where possible, else escaped."""
    if not swallows(html):
        return html
    closers = _closers(html)
    if closers is not None and not swallows(html + closers):
        return html + closers
    return escapeHtml(html)


def _ending_at_blank_line(original: Callable) -> Callable:
    """Wrap the html_block rule: an end marker that never comes ends at a blank line."""

    def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not original(state, start, end, silent):
            return False
        if silent:
            return True
        token = state.tokens[-1]
        marker = _end_marker(token.content)
        if marker is None or marker.search(token.content):
            return True
        stop = token.map[1] if token.map else state.line
        last = next((n for n in range(start + 1, stop) if state.isEmpty(n)), stop)
        token.map = [start, last]
        token.content = state.getLines(start, last, state.blkIndent, True)
        state.line = last
        return True

    return html_block


def _end_marker(content: str) -> re.Pattern[str] | None:
    """Return the end marker of an HTML block of kind 1-5 (None for kinds 6 and 7)."""
    first = content.lstrip(" ")
    return next((close for opener, close in _UNTIL_MARKER if opener.match(first)), None)


def _balance_core_rule(state: StateCore) -> None:
    """Balance every HTML block and the raw HTML of every inline container."""
    for token in state.tokens:
        if token.type == "html_block":
            token.content = balance(token.content)
        elif token.type == "inline" and token.children and "<" in token.content:
            _balance_inline(token.children)


def _balance_inline(children: list[Token]) -> None:
    """Close what the raw HTML of one paragraph/heading/cell leaves open, at its end.

    Markdown inside an element the sanitiser removes (``a <style>b</style>``)
    is taken out here already, so heading texts, the TOC and search see what
    the reader sees.
    """
    raw = [c for c in children if c.type == "html_inline"]
    if not raw or not any(_INLINE_SUSPECT.search(c.content) for c in raw):
        return
    html = "".join(c.content for c in raw)
    fixed = balance(html)
    if not fixed.startswith(html):
        for child in raw:
            child.type = "text"  # shown as written, and part of the heading text
        return
    children[:] = _without_swallowed(children)
    if fixed != html:
        children.append(Token("html_inline", "", 0, content=fixed[len(html) :]))


def _without_swallowed(children: list[Token]) -> list[Token]:
    """Return the children minus those the raw HTML before them swallows."""
    kept: list[Token] = []
    html = ""
    for child in children:
        if child.type == "html_inline":
            html += child.content
        elif html and swallows(html):
            continue
        kept.append(child)
    return kept


def _closers(html: str) -> str | None:
    """Return the end tags/comment end that close what `html` leaves open.

    None when it cannot be closed (an unterminated tag, ``<plaintext>``).
    Approximate on purpose: `balance` checks the result with the real parser.
    """
    stack: list[str] = []
    pos = 0
    while match := _TAG_OR_COMMENT.search(html, pos):
        if match.group(0) == "<!--":
            pos = _comment_end(html, match.end())
            if pos < 0:
                return "-->" + _end_tags(stack)
            continue
        closing, name = match.group(1), match.group(2).lower()
        tag_end = html.find(">", match.end())
        if tag_end < 0:
            return None
        pos = tag_end + 1
        if name not in DROP_WITH_CONTENT or name in _VOID:
            continue
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name)]
        elif name == "plaintext":
            return None
        elif name in _RAW_TEXT:
            end = re.compile(rf"</{name}(?=[\s/>]|$)", re.IGNORECASE).search(html, pos)
            if end is None:
                return f"</{name}>" + _end_tags(stack)
            pos = end.end()
        else:
            stack.append(name)
    return _end_tags(stack)


def _comment_end(html: str, start: int) -> int:
    """Return where a comment opened before `start` ends (-1: never)."""
    if html.startswith(">", start):
        return start + 1
    if html.startswith("->", start):
        return start + 2
    match = _COMMENT_END.search(html, start)
    return match.end() if match else -1


def _end_tags(stack: list[str]) -> str:
    return "".join(f"</{name}>" for name in reversed(stack))


__all__ = ["balance", "raw_html_plugin", "swallows"]
