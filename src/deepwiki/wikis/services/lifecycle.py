"""Change a wiki's settings; delete one wiki or many."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.generation import bump_content_generation
from deepwiki.wikis.blobs import blobs_delete_objects
from deepwiki.wikis.indexing import search_index
from deepwiki.wikis.models import Blob, VersionBlob, Wiki, WikiFile
from deepwiki.wikis.permissions import can_edit, can_read, is_admin, require_edit
from deepwiki.wikis.services.common import (
    clean_description,
    clean_tags,
    clean_title,
    clean_visibility,
    wiki_lock,
    wiki_set_tags,
)
from deepwiki.wikis.services.meta import settings_commit
from deepwiki.wikis.services.offers import offer_address, offer_create, owner_for_admin

MAX_BULK = 500


def wiki_update_meta(
    *,
    actor,
    wiki: Wiki,
    title: str | None = None,
    description: str | None = None,
    tags=None,
    visibility: str | None = None,
    owner=None,
) -> Wiki:
    """Edit title, description, tags, visibility (one version if anything changed).

    `owner` (an e-mail address, or for admins also a user id): admins hand the
    wiki over at once; an owner only offers it (see `offer_create`).
    """
    require_edit(actor, wiki)
    title = clean_title(title)
    if title is not None and not title:
        raise ValidationError({"title": ["The title cannot be empty."]})
    description = clean_description(description)
    tags = clean_tags(tags)
    visibility = clean_visibility(visibility)
    new_owner = None
    if owner not in (None, "") and is_admin(actor):
        new_owner = owner_for_admin(owner)
    elif owner not in (None, ""):
        offer_address(owner)  # refuse a malformed address before changing anything
    with transaction.atomic():
        wiki = wiki_lock(wiki)
        changed = _apply_meta(wiki, title, description, tags, visibility, new_owner)
        if changed:
            settings_commit(actor=actor, wiki=wiki, changed=changed)
        if owner not in (None, "") and not is_admin(actor):
            offer_create(actor=actor, wiki=wiki, email=offer_address(owner))
    return wiki


def _apply_meta(wiki, title, description, tags, visibility, owner) -> list[str]:
    """Set the given fields; return the names of those that changed."""
    changed = []
    for name, value in (
        ("title", title),
        ("description", description),
        ("visibility", visibility),
    ):
        if value is not None and getattr(wiki, name) != value:
            setattr(wiki, name, value)
            changed.append(name)
    if owner is not None and wiki.owner_id != owner.pk:
        wiki.owner = owner
        changed.append("owner")
    if tags is not None and sorted(wiki.tags.values_list("name", flat=True)) != sorted(
        tags
    ):
        wiki_set_tags(wiki, tags)
        changed.append("tags")
    return changed


def wiki_delete(*, actor, wiki: Wiki) -> None:
    """Delete a wiki, its history and the blobs nothing else uses."""
    require_edit(actor, wiki)
    with transaction.atomic():
        wiki = wiki_lock(wiki)
        shas = set(
            VersionBlob.objects.filter(version__wiki=wiki).values_list(
                "blob_id", flat=True
            )
        )
        shas |= set(
            WikiFile.objects.filter(wiki=wiki).values_list("blob_id", flat=True)
        )
        search_index().remove_wiki(wiki.pk)
        activity_record(
            actor=actor,
            action=Activity.Action.WIKI_DELETED,
            wiki=wiki,
            details={"files": wiki.file_count, "versions": wiki.current_version},
        )
        wiki.delete()
        unused = _unreferenced(shas)
        Blob.objects.filter(sha256__in=unused).delete()
        bump_content_generation()
        # Objects go only once the rows are gone for good; a crash in between
        # leaves orphans that `deepwiki cleanup` removes.
        transaction.on_commit(lambda: blobs_delete_objects(unused))


def _unreferenced(shas: set[str]) -> list[str]:
    """Return the blobs among `shas` that no version and no current file uses."""
    used_by_version = VersionBlob.objects.filter(blob_id=OuterRef("pk"))
    used_by_file = WikiFile.objects.filter(blob_id=OuterRef("pk"))
    unused: list[str] = []
    ordered = sorted(shas)
    for start in range(0, len(ordered), 500):
        rows = Blob.objects.filter(sha256__in=ordered[start : start + 500])
        rows = rows.filter(~Exists(used_by_version), ~Exists(used_by_file))
        unused.extend(rows.values_list("sha256", flat=True))
    return unused


def wiki_bulk_delete(*, actor, wiki_ids) -> list[dict]:
    """Delete several wikis; report per id: deleted, not_found or forbidden."""
    ids = list(wiki_ids)
    if len(ids) > MAX_BULK:
        raise ValidationError(
            {"wikiIds": [f"Delete at most {MAX_BULK} wikis at once."]}
        )
    results = []
    for wiki_id in ids:
        wiki = Wiki.objects.filter(pk=wiki_id).first() if _is_id(wiki_id) else None
        if wiki is None or not can_read(actor, wiki):
            status = "not_found"
        elif not can_edit(actor, wiki):
            status = "forbidden"
        else:
            wiki_delete(actor=actor, wiki=wiki)
            status = "deleted"
        results.append({"id": wiki_id, "status": status})
    return results


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
