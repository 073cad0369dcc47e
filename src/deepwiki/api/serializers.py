"""Shapes of wikis, files, versions and people for the JSON API.

Each function returns a plain dict in the shape of its schema in
`deepwiki.api.schemas` (the handlers' `response=` types check it). People
appear as `UserRef`: a display name for everyone, the e-mail address only to
admins and to the person themself.
"""

from __future__ import annotations

from deepwiki.wikis.linking import file_url, page_url, raw_url
from deepwiki.wikis.models import FileKind, OwnerOffer, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.permissions import can_edit, is_admin


def _may_see_email(viewer, user) -> bool:
    return is_admin(viewer) or getattr(viewer, "pk", None) == user.pk


def user_out(user, viewer=None) -> dict | None:
    """Return how `viewer` sees a user (None for a deleted account)."""
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": user.public_name,
        "email": user.email if _may_see_email(viewer, user) else None,
    }


def wiki_out(wiki: Wiki, user) -> dict:
    """Describe a wiki to `user` (tags must be prefetched or are queried)."""
    return {
        "id": wiki.pk,
        "slug": wiki.slug,
        "title": wiki.title,
        "description": wiki.description,
        "tags": sorted(t.name for t in wiki.tags.all()),
        "visibility": wiki.visibility,
        "owner": user_out(wiki.owner, user),
        "entry_path": wiki.entry_path,
        "current_version": wiki.current_version,
        "file_count": wiki.file_count,
        "total_size": wiki.total_size,
        "created_at": wiki.created_at,
        "updated_at": wiki.updated_at,
        "url": page_url(wiki.slug, ""),
        "can_edit": can_edit(user, wiki),
    }


def file_out(file: WikiFile, slug: str) -> dict:
    """Describe one current file (no content)."""
    return {
        "id": file.pk,
        "path": file.path,
        "name": file.path.rsplit("/", 1)[-1],
        "kind": file.kind,
        "content_type": file.content_type,
        "size": file.size,
        "sha256": file.blob_id,
        "title": file.title,
        "updated_at": file.updated_at,
        "url": file_url(slug, file.path),
        "raw_url": raw_url(slug, file.path),
    }


def file_detail_out(
    file: WikiFile, slug: str, *, source: str | None, viewer=None
) -> dict:
    """Describe one file with its rendered HTML, TOC and Markdown source."""
    data = file_out(file, slug)
    data["updated_by"] = user_out(file.updated_by, viewer)
    data["wiki"] = {"id": file.wiki_id, "slug": slug}
    if file.kind == FileKind.MARKDOWN:
        data.update(html=file.html, toc=file.toc, meta=file.meta, source=source)
    else:
        data["source"] = source
    return data


def version_out(version: WikiVersion, viewer=None) -> dict:
    """Describe one version (without its manifest)."""
    return {
        "number": version.number,
        "action": version.action,
        "message": version.message,
        "author": user_out(version.author, viewer),
        "created_at": version.created_at,
        "file_count": version.file_count,
        "total_size": version.total_size,
    }


def offer_out(offer: OwnerOffer, viewer) -> dict:
    """Describe an owner offer; the address is shown to its sender and recipient."""
    sender = offer.offered_by
    shows_address = is_admin(viewer) or getattr(viewer, "email", None) in (
        offer.to_email,
        getattr(sender, "email", None),
    )
    return {
        "id": offer.pk,
        "wiki": {"slug": offer.wiki.slug, "title": offer.wiki.title},
        "offered_by": user_out(sender, viewer),
        "to_email": offer.to_email if shows_address else None,
        "created_at": offer.created_at,
        "expires_at": offer.expires_at,
    }
