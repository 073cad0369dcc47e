"""The markdown-it instances, configured once at import and shared by every render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it import __version__ as _MDIT_VERSION
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .highlight import render_code_block
from .htmltags import render_listing
from .plugins.attributes import attributes_plugin
from .plugins.callouts import callouts_plugin
from .plugins.dispatch import dispatch_plugin
from .plugins.mark import mark_plugin
from .plugins.math import math_plugin
from .plugins.shortcodes import shortcodes_plugin
from .plugins.tabs import tabs_plugin
from .plugins.wikilinks import wikilinks_plugin
from .rawhtml import raw_html_plugin


def _render_fence(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Render fenced code through Pygments or as a Mermaid source block."""
    token = tokens[idx]
    return render_code_block(token.content, unescapeAll(token.info).strip())


def _render_code_block(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Render indented code with the same widget as unlabelled fences."""
    return render_code_block(tokens[idx].content, "")


def _install_renderers(md: MarkdownIt) -> MarkdownIt:
    """Route code through the highlighter."""
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    return md


def _has_native_gfm() -> bool:
    """Tell whether markdown-it-py has built-in task lists (>= 4.1)."""
    parts = tuple(int(p) for p in _MDIT_VERSION.split(".")[:2] if p.isdigit())
    return parts >= (4, 1)


def _use_gfm_extras(md: MarkdownIt) -> None:
    """Add task lists and GFM autolinks, natively where the library allows."""
    if _has_native_gfm():
        from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

        md.options["tasklists"] = True
        md.options["tasklists_editable"] = False
        # GFM autolinks only www./scheme/e-mail: "README.md" stays text.
        md.use(gfm_autolink_plugin)
        _guard_protocol_autolinks(md)
        return
    md.options["linkify"] = True
    md.enable("linkify")
    if md.linkify is not None:
        md.linkify.set({"fuzzy_link": False})
    md.use(tasklists_plugin, enabled=False)


_AUTOLINK_SCHEMES = ("http", "https", "mailto", "xmpp")


def _guard_protocol_autolinks(md: MarkdownIt) -> None:
    """Call the protocol autolink rule only after a scheme name.

    The rule copies the rest of the paragraph at every ":" it is tried on,
    which made text full of colons (":tada: :x:", times, paths) quadratic.
    """
    rule = next(
        r for r in md.inline.ruler.__rules__ if r.name == "gfm_autolink_protocol"
    )
    protocol = rule.fn

    def guarded(state: Any, silent: bool) -> bool:
        if state.src[state.pos] != ":" or not state.pending.endswith(_AUTOLINK_SCHEMES):
            return False
        return protocol(state, silent)

    rule.fn = guarded
    md.inline.ruler.__cache__ = None


def build_markdown() -> MarkdownIt:
    """Build the full DeepWiki dialect: CommonMark plus the GFM-like extras."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    _use_gfm_extras(md)
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.use(wikilinks_plugin)
    _use_dialects(md)
    # Raw HTML never swallows the rest of the page (kept apart: see rawhtml.py).
    md.use(raw_html_plugin)
    return _install_renderers(md)


def _use_dialects(md: MarkdownIt) -> None:
    """Add what MkDocs, mdBook, Docusaurus, VitePress and GitHub authors write."""
    md.use(callouts_plugin)
    md.use(tabs_plugin)
    md.use(math_plugin)
    md.use(mark_plugin)
    md.use(attributes_plugin)
    md.use(shortcodes_plugin)
    md.use(dispatch_plugin)
    md.add_render_rule("listing_open", render_listing)
    md.add_render_rule("listing_close", render_listing)


def build_commonmark() -> MarkdownIt:
    """Build a pure CommonMark parser with the same renderers (conformance checks)."""
    return _install_renderers(MarkdownIt("commonmark", {"html": True}))


MARKDOWN = build_markdown()
COMMONMARK = build_commonmark()
