"""Filters typed into the query itself: `path:guide/ lang:fr kind:pages`."""

from __future__ import annotations

import re
from dataclasses import replace

from deepwiki.search.scope import SearchFilters

_OPERATOR = re.compile(r"(?:(?<=\s)|^)(path|lang|kind):(\"[^\"]*\"|\S*)", re.IGNORECASE)
KINDS = {"page": "pages", "pages": "pages", "attachment": "files", "file": "files"}
KINDS |= {"attachments": "files", "files": "files"}


def split_operators(text: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
    """Take `path:`, `lang:` and `kind:` out of the query into the filters."""
    found: dict[str, str] = {}

    def take(match: re.Match) -> str:
        found[match.group(1).lower()] = match.group(2).strip('"').strip()
        return " "

    rest = " ".join(_OPERATOR.sub(take, text).split())
    if not found:
        return text, filters
    return rest, replace(
        filters,
        path=found.get("path", filters.path).lstrip("/"),
        lang=found.get("lang", filters.lang).lower()[:16],
        kind=KINDS.get(found.get("kind", "").lower(), filters.kind),
    )
