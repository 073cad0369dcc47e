"""Save a change of a wiki's settings as a new version."""

from __future__ import annotations

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.generation import bump_content_generation
from deepwiki.wikis.indexing import search_index
from deepwiki.wikis.models import OwnerOffer, Wiki, WikiFile
from deepwiki.wikis.services.staging import staged_from_current
from deepwiki.wikis.services.tree import tree_commit


def settings_commit(*, actor, wiki: Wiki, changed: list[str]) -> None:
    """Save changed settings as a new version (inside the caller's transaction)."""
    wiki.save(
        update_fields=["title", "description", "visibility", "owner", "updated_at"]
    )
    files = WikiFile.objects.filter(wiki=wiki).only(
        "id", "path", "blob_id", "kind", "title", "size", "content_type"
    )
    change = tree_commit(
        wiki=wiki,
        actor=actor,
        target={f.path: staged_from_current(f) for f in files},
        action="settings",
        message="Changed " + ", ".join(changed),
    )
    if "owner" in changed:
        OwnerOffer.objects.filter(wiki=wiki).delete()  # made by the old owner
    search_index().index_wiki(wiki)
    activity_record(
        actor=actor,
        action=Activity.Action.WIKI_UPDATED,
        wiki=wiki,
        details={"version": change.version.number, "fields": changed},
    )
    bump_content_generation()
