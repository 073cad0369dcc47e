"""mdBook's ``{{#include file}}`` family, resolved against the wiki at write time.

Like mdBook, this is a text step before Markdown parsing, so an include
inside a code fence fills the fence. Supported forms:

- ``{{#include file.rs}}``, ``{{#include file.rs:anchor}}`` (between the
  ``ANCHOR: anchor`` and ``ANCHOR_END: anchor`` comment lines),
- ``{{#include file.rs:10:20}}``, ``:10:``, ``::20``, ``:10`` (line ranges),
- ``{{#rustdoc_include …}}`` (the same selection) and ``{{#playground …}}``.

``resolve_include(target)`` gets the path as written (relative to the page,
like resolve_link's "relative" kind) and returns the file's text, or None when
the wiki has no such file: the directive then becomes a visible note and the
page reports a broken link of kind "include".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .types import Link

IncludeResolver = Callable[[str], str | None]

DIRECTIVE = re.compile(
    r"(?<!\\)\{\{#(include|rustdoc_include|playground)[ \t]+([^}\n]{1,500}?)[ \t]*\}\}"
)
_ANCHOR_LINE = re.compile(r"^.*\bANCHOR(?:_END)?:\s*[\w-]+.*$\n?", re.M)
MAX_DEPTH = 3
MAX_INCLUDED_CHARS = 2_000_000


def has_includes(source: str) -> bool:
    """Tell cheaply whether a page holds any include directive."""
    return "{{#" in source and DIRECTIVE.search(source) is not None


def include_targets(source: str) -> list[str]:
    """Return the file part of every directive, as written (for pre-fetching)."""
    return [split_target(m.group(2))[0] for m in DIRECTIVE.finditer(source)]


def split_target(argument: str) -> tuple[str, str]:
    """Split `file.rs:anchor` / `file.rs:3:9` into (file, selector)."""
    argument = argument.strip().split()[0] if argument.strip() else ""
    file, _, selector = argument.partition(":")
    return file, selector


def expand_includes(
    source: str, resolve: IncludeResolver | None, links: list[Link], depth: int = 0
) -> str:
    """Replace every directive with the text it selects; record the targets."""
    if "{{#" not in source:
        return source
    budget = [MAX_INCLUDED_CHARS]

    def replace(match: re.Match[str]) -> str:
        file, selector = split_target(match.group(2))
        text = resolve(file) if resolve is not None and file else None
        links.append(
            Link(
                target=file,
                kind="include",
                resolved_url=None,
                broken=resolve is not None and text is None,
            )
        )
        if text is None:
            return f"(Included file not found: {file})" if resolve else ""
        chosen = select(text, selector)
        if len(chosen) > budget[0]:
            return f"(Included file too large: {file})"
        budget[0] -= len(chosen)
        if depth + 1 < MAX_DEPTH and "{{#" in chosen:
            chosen = expand_includes(chosen, resolve, links, depth + 1)
        return chosen.rstrip("\n")

    return DIRECTIVE.sub(replace, source)


def select(text: str, selector: str) -> str:
    """Pick an anchor's lines or a line range; drop ANCHOR marker lines."""
    lines = text.splitlines(keepends=True)
    if selector and not _is_range(selector):
        lines = _anchor_lines(lines, selector)
    elif selector:
        start, colon, end = (p.strip() for p in selector.partition(":"))
        first = int(start) - 1 if start.isdigit() else 0
        if not colon:  # `file:2` is line 2 only
            last = first + 1
        else:
            last = int(end) if end.isdigit() else len(lines)
        lines = lines[max(first, 0) : max(last, 0)]
    return _ANCHOR_LINE.sub("", "".join(lines))


def _is_range(selector: str) -> bool:
    return all(
        part.strip().isdigit() or not part.strip() for part in selector.split(":")
    )


def _anchor_lines(lines: list[str], name: str) -> list[str]:
    start_re = re.compile(rf"\bANCHOR:\s*{re.escape(name)}\b")
    end_re = re.compile(rf"\bANCHOR_END:\s*{re.escape(name)}\b")
    inside, picked = False, []
    for line in lines:
        if not inside and start_re.search(line):
            inside = True
        elif inside and end_re.search(line):
            break
        elif inside:
            picked.append(line)
    return picked
