"""Which wikis a user may search, and the filters of one search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q

from deepwiki.search.backends.base import Scope
from deepwiki.search.query import normalize


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
    from deepwiki.wikis.models import Wiki

    try:
        from deepwiki.wikis.permissions import readable_wikis
    except ImportError:  # pragma: no cover - while the wikis app is being built
        readable_wikis = None
    if readable_wikis is not None:
        wikis = readable_wikis(user)
    else:
        wikis = Wiki.objects.filter(_readable(user))
    return sorted(wikis.values_list("id", flat=True))


def _readable(user) -> Q:
    """Private: owner and admins; internal: signed-in users; public: anyone."""
    if user is None or not user.is_authenticated:
        return Q(visibility="public")
    if getattr(user, "is_admin", False):
        return Q()
    return Q(visibility__in=["public", "internal"]) | Q(owner_id=user.pk)


def visible_key(wiki_ids: list[int]) -> str:
    """A short digest of the visible set, for cache keys."""
    return hashlib.sha256(",".join(map(str, wiki_ids)).encode()).hexdigest()[:24]


def build_scope(wiki_ids: list[int], filters: SearchFilters) -> Scope:
    """Narrow the visible wikis by the filters (an unknown wiki gives nothing)."""
    from deepwiki.wikis.models import Wiki

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
