"""Which wikis a user may search, and the filters of one search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from deepwiki.search.backends.base import Scope
from deepwiki.search.query import normalize
from deepwiki.wikis.models import Wiki
from deepwiki.wikis.permissions import readable_wikis


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Optional filters: wiki, tag, file type, dates, path prefix, language, kind."""

    wiki: str = ""
    tag: str = ""
    file_type: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    path: str = ""  # folder or path prefix ("guide/" or "pages.fr/")
    lang: str = ""  # page language ("fr", "zh")
    kind: str = ""  # "pages" or "files" (images and attachments)

    def key(self) -> str:
        return "|".join(
            [
                self.path,
                self.lang,
                self.kind,
                self.wiki,
                self.tag,
                self.file_type,
                str(self.updated_from),
                str(self.updated_to),
            ]
        )


def visible_wiki_ids(user) -> list[int]:
    """Return the ids of every wiki `user` may read, sorted."""
    return sorted(readable_wikis(user).values_list("id", flat=True))


def visible_key(wiki_ids: list[int]) -> str:
    """A short digest of the visible set, for cache keys."""
    return hashlib.sha256(",".join(map(str, wiki_ids)).encode()).hexdigest()[:24]


def build_scope(wiki_ids: list[int], filters: SearchFilters) -> Scope:
    """Narrow the visible wikis by the filters (an unknown wiki gives nothing)."""

    ids = tuple(wiki_ids)
    if filters.wiki:
        ids = tuple(
            Wiki.objects.filter(slug=filters.wiki, id__in=ids).values_list(
                "id", flat=True
            )
        )
    return Scope(
        wiki_ids=ids,
        tag=normalize(filters.tag).strip(),
        file_type=filters.file_type.strip().lower().lstrip("."),
        updated_from=_start_of(filters.updated_from),
        updated_to=_start_of(filters.updated_to + timedelta(days=1))
        if filters.updated_to
        else None,
        path_prefix=filters.path,
        lang=filters.lang,
        kind=filters.kind,
    )


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
