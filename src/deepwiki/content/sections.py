"""Split a page into plain-text sections, one per heading, for the search index."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from .headings import inline_text
from .types import Heading, Section

_TAG = re.compile(r"<[^>]*>")
_BLANKS = re.compile(r"\n{2,}")
# Blocks indexed by their source text (code, and math as TeX).
_SOURCE_BLOCKS = frozenset(
    {
        "fence",
        "code_block",
        "math_block",
        "math_block_label",
        "math_block_eqno",
        "amsmath",
    }
)


def build_sections(
    tokens: Sequence[Token], headings: Sequence[Heading], title: str
) -> list[Section]:
    """Collect the text under each heading; text before the first one is the intro."""
    sections: list[Section] = []
    current = Section(anchor="", heading=title, text="", level=0)
    parts: list[str] = []
    code: set[int] = set()  # indexes into parts that came from code blocks
    heading_iter = iter(headings)
    skip_inline = False
    for token in tokens:
        if token.type == "heading_open":
            _close(sections, current, parts, code)
            heading = next(heading_iter)
            current = Section(heading.id, heading.text, "", heading.level)
            parts, code, skip_inline = [], set(), True
        elif token.type == "inline":
            if not skip_inline:
                parts.append(inline_text(token.children))
            skip_inline = False
        elif token.type in _SOURCE_BLOCKS:
            code.add(len(parts))
            parts.append(token.content)
        elif token.type == "html_block":
            parts.append(_TAG.sub(" ", token.content))
    _close(sections, current, parts, code)
    if not sections:
        sections.append(Section(anchor="", heading=title, text="", level=0))
    return sections


def _close(
    sections: list[Section], current: Section, parts: list[str], code: set[int]
) -> None:
    """Store a finished section; an empty intro is left out."""
    text = _joined(parts)
    if current.anchor == "" and current.level == 0 and not text:
        return
    prose = _joined([p for i, p in enumerate(parts) if i not in code])
    blocks = _joined([p for i, p in enumerate(parts) if i in code])
    sections.append(
        Section(current.anchor, current.heading, text, current.level, prose, blocks)
    )


def _joined(parts: list[str]) -> str:
    return _BLANKS.sub("\n", "\n".join(p.strip() for p in parts if p.strip()))
