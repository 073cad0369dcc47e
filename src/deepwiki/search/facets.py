"""Facet counts for the search page: folders, kinds and languages of the matches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from deepwiki.search.backends.base import FACET_WINDOW

LANGUAGE_NAMES = {
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
    "zh": "Chinese",
}


@dataclass(slots=True)
class Facets:
    """Pages per folder, kind and language (counted over at most FACET_WINDOW hits)."""

    folders: list[tuple[str, int]] = field(default_factory=list)
    kinds: list[tuple[str, int]] = field(default_factory=list)
    langs: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, n
    sampled: bool = False  # more matches exist than were counted


def facets_of(rows, *, path_prefix: str = "", limit: int = 12) -> Facets:
    """Count distinct files per facet value; folders one level below `path_prefix`."""
    folders, kinds, langs = defaultdict(set), defaultdict(set), defaultdict(set)
    for path, kind, lang in rows:
        if not path:
            continue
        folder = _next_folder(path, path_prefix)
        if folder:
            folders[folder].add(path)
        kinds["files" if kind == "file" else "pages"].add(path)
        if lang and kind != "file":
            langs[lang].add(path)

    def counted(groups):
        return sorted(((k, len(v)) for k, v in groups.items()), key=lambda x: -x[1])

    return Facets(
        folders=counted(folders)[:limit],
        kinds=counted(kinds),
        langs=[(c, LANGUAGE_NAMES.get(c, c), n) for c, n in counted(langs)[:limit]],
        sampled=len(rows) >= FACET_WINDOW,
    )


def _next_folder(path: str, prefix: str) -> str:
    """Return the folder one level below `prefix` that holds `path` ("guide/")."""
    base = prefix if prefix.endswith("/") or not prefix else prefix.rsplit("/", 1)[0]
    base = base + "/" if base and not base.endswith("/") else base
    rest = path[len(base) :] if path.startswith(base) else ""
    head, slash, _ = rest.partition("/")
    return f"{base}{head}/" if slash else ""
