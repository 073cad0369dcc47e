"""Feed mdBook `{{#include}}` targets to the renderer (which never reads storage).

The renderer may run in worker processes without storage access, so the texts
a page includes are read here first and travel with the render job.
"""

from __future__ import annotations

from collections.abc import Callable

from deepwiki.content import join_wiki_path
from deepwiki.content.includes import MAX_DEPTH, has_includes, include_targets

MAX_INCLUDE_BYTES = 2_000_000


def include_texts(
    path: str, text: str, read: Callable[[str], str | None]
) -> dict[str, str]:
    """Return {wiki path: text} for every file the page includes (nested too).

    Nested includes resolve against the page, as the renderer does.
    """
    found: dict[str, str] = {}
    pending = [(path, text, 0)]
    while pending:
        _, source, depth = pending.pop()
        if depth >= MAX_DEPTH or not has_includes(source):
            continue
        for target in include_targets(source):
            wanted = join_wiki_path(path, target)
            if not wanted or wanted in found:
                continue
            body = read(wanted)
            if body is None or len(body) > MAX_INCLUDE_BYTES:
                continue
            found[wanted] = body
            pending.append((wanted, body, depth + 1))
    return found


def include_resolver(path: str, texts: dict[str, str], found: dict) -> Callable:
    """Build render()'s resolve_include for one page; record hits in `found`."""

    def resolve(target: str) -> str | None:
        wanted = join_wiki_path(path, target)
        if wanted is None or wanted not in texts:
            return None
        found[(target, "include")] = wanted
        return texts[wanted]

    return resolve
