"""Plain-dict shapes of wikis, files and versions for the JSON API."""

from __future__ import annotations

from deepwiki.wikis.linking import file_url, page_url, raw_url
from deepwiki.wikis.models import FileKind, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.permissions import can_edit


def user_out(user) -> dict | None:
    """Return the public face of a user (None for a deleted account)."""
    if user is None:
        return None
    return {"id": user.pk, "name": getattr(user, "display_name", "") or user.email}


def wiki_out(wiki: Wiki, user) -> dict:
    """Describe a wiki (tags must be prefetched or are queried)."""
    return {
        "id": wiki.pk,
        "slug": wiki.slug,
        "title": wiki.title,
        "description": wiki.description,
        "tags": sorted(t.name for t in wiki.tags.all()),
        "visibility": wiki.visibility,
        "owner": user_out(wiki.owner),
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


def file_detail_out(file: WikiFile, slug: str, *, source: str | None) -> dict:
    """Describe one file with its rendered HTML, TOC and Markdown source."""
    data = file_out(file, slug)
    data["updated_by"] = user_out(file.updated_by)
    data["wiki"] = {"id": file.wiki_id, "slug": slug}
    if file.kind == FileKind.MARKDOWN:
        data.update(html=file.html, toc=file.toc, meta=file.meta, source=source)
    else:
        data["source"] = source
    return data


def version_out(version: WikiVersion) -> dict:
    """Describe one version (without its manifest)."""
    return {
        "number": version.number,
        "action": version.action,
        "message": version.message,
        "author": user_out(version.author),
        "created_at": version.created_at,
        "file_count": version.file_count,
        "total_size": version.total_size,
    }
