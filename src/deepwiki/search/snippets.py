"""Turn engine snippets into safe HTML: escape everything first, then mark."""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

from deepwiki.search.backends.base import SENTINEL_START, SENTINEL_STOP

MAX_PLAIN_CHARS = 240
# Words too common to be worth a highlight (they still match when typed).
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have i if in into is it its of on"
    " or so than that the their then there these this to was were will with"
    " de la le les des du et un une der die das und ein eine".split()
)
_MARKED = re.compile(SENTINEL_START + "([^" + SENTINEL_STOP + "]*)" + SENTINEL_STOP)


def _unmark_stop_words(text: str) -> str:
    def keep(match: re.Match) -> str:
        word = match.group(1)
        return word if word.strip().casefold() in STOP_WORDS else match.group(0)

    return _MARKED.sub(keep, text)


def marked_snippet(raw: str) -> SafeString:
    """Escape the text, then turn the engine's sentinels into <mark> tags."""
    text = " ".join((raw or "").split())
    if text.count(SENTINEL_START) != text.count(SENTINEL_STOP):
        text = text.replace(SENTINEL_START, "").replace(SENTINEL_STOP, "")
    escaped = html.escape(_unmark_stop_words(text), quote=True)
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        escaped.replace(SENTINEL_START, "<mark>").replace(SENTINEL_STOP, "</mark>")
    )


def plain_snippet(text: str) -> SafeString:
    """Escape the first paragraph of a text, for a hit with no match in its prose."""
    flat = " ".join(first_paragraph(text).split())
    if len(flat) > MAX_PLAIN_CHARS:
        flat = flat[:MAX_PLAIN_CHARS].rsplit(" ", 1)[0] + " …"
    text = flat.replace(SENTINEL_START, "").replace(SENTINEL_STOP, "")
    return mark_safe(html.escape(text))  # noqa: S308 - escaped right here


def first_paragraph(text: str) -> str:
    """Return the first paragraph (line) of indexed prose, with a short one extended."""
    paragraph = ""
    for line in (text or "").splitlines():
        paragraph = f"{paragraph} {line.strip()}".strip()
        if len(paragraph) >= MAX_PLAIN_CHARS // 3:
            break
    return paragraph
