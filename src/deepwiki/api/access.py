"""How the wiki routes load a wiki: readable by the caller, or 404."""

from __future__ import annotations

from deepwiki.wikis.models import Visibility, Wiki
from deepwiki.wikis.permissions import get_readable_wiki_or_404


def readable_wiki(request, slug: str) -> Wiki:
    """Return the wiki if the caller may read it; 404 otherwise (no existence leak)."""
    return get_readable_wiki_or_404(request.user, slug)


def is_public(wiki: Wiki) -> bool:
    """Public wikis' responses may be cached by shared caches."""
    return wiki.visibility == Visibility.PUBLIC
