"""/api/wiki routes: list, read, upload, edit, versions, diff, export, delete."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.caching import cached_list_response, json_with_etag
from deepwiki.api.routers.uploads import upload_answer
from deepwiki.api.serializers import (
    file_detail_out,
    file_out,
    version_out,
    wiki_out,
)
from deepwiki.api.types import Text
from deepwiki.core.errors import NotFound
from deepwiki.transport.files import export_response
from deepwiki.wikis import selectors, services
from deepwiki.wikis.diff import version_diff
from deepwiki.wikis.filetypes import is_text_type
from deepwiki.wikis.linking import raw_url
from deepwiki.wikis.models import Visibility, Wiki, WikiFile
from deepwiki.wikis.permissions import (
    get_readable_wiki_or_404,
    readable_wikis,
    require_edit,
)

router = Router(tags=["wikis"])
Slug = Annotated[str, Field(max_length=80)]
VersionNo = Annotated[int, Field(ge=1, le=2_000_000_000)]
StrictId = Annotated[int, Field(strict=True, ge=1, le=2**62)]


class MetaIn(Schema):
    title: Text(200) | None = None
    description: Text(2000) | None = None
    tags: list[Text(50)] | Text(1100) | None = Field(None, max_length=20)
    visibility: Literal["private", "internal", "public"] | None = None
    owner: Text(254) | None = Field(None, description="E-mail of the new owner")


class FileIn(Schema):
    content: Text(10 * 1024 * 1024)
    base_version: VersionNo | None = Field(None, alias="baseVersion")
    message: Text(500) = ""

    model_config = {"populate_by_name": True}


class MoveIn(Schema):
    source: Text(1000) = Field(alias="from")
    to: Text(1000)
    message: Text(500) = ""

    model_config = {"populate_by_name": True}


class PreviewIn(Schema):
    path: Text(1000) = "preview.md"
    content: Text(10 * 1024 * 1024)


class RestoreIn(Schema):
    message: Text(500) = ""


class BulkDeleteIn(Schema):
    wiki_ids: list[StrictId] = Field(alias="wikiIds", max_length=500)

    model_config = {"populate_by_name": True}


def _wiki(request, slug: str) -> Wiki:
    return get_readable_wiki_or_404(request.user, slug)


def _public(wiki: Wiki) -> bool:
    return wiki.visibility == Visibility.PUBLIC


# --- collection routes (before /{slug}) -------------------------------------


@router.get("/list", auth=ANYONE)
def wiki_list(
    request,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
    sort: Literal["updated", "title", "created"] = "updated",
    tag: Text(50) | None = None,
    q: Text(200) | None = None,
):
    """List the wikis you may read (paginated; filter by tag or title words)."""
    params = {"limit": limit, "offset": offset, "sort": sort, "tag": tag, "q": q}

    def build():
        qs = selectors.wiki_list_for_user(request.user, tag=tag, sort=sort, q=q)
        items = [wiki_out(w, request.user) for w in qs[offset : offset + limit]]
        return {"items": items, "total": qs.count(), "limit": limit, "offset": offset}

    return cached_list_response(request, params, build)


@router.post("/upload", auth=SIGNED_IN)
def wiki_upload(request):
    """Create a wiki from multipart `files` (+ parallel `paths`) or one `.zip`.

    Optional form fields: `title`, `description`, `tags` (comma list), `visibility`.
    Large uploads answer 202 with a job to poll (`status_url`).
    """
    return upload_answer(request)


@router.post("/bulk-delete", auth=SIGNED_IN)
def wiki_bulk_delete(request, payload: BulkDeleteIn):
    """Delete several wikis; each id reports deleted, not_found or forbidden."""
    return {
        "results": services.wiki_bulk_delete(
            actor=request.user, wiki_ids=payload.wiki_ids
        )
    }


@router.get("/slug/{slug}", auth=ANYONE)
def wiki_by_slug(request, slug: Slug):
    """Get one wiki by slug."""
    wiki = _wiki(request, slug)
    return json_with_etag(request, wiki_out(wiki, request.user), public=_public(wiki))


@router.get("/file/{file_id}", auth=ANYONE)
def file_by_id(request, file_id: int):
    """Get one current file by id, with rendered HTML and source."""
    file = (
        WikiFile.objects.select_related("wiki", "blob", "updated_by")
        .filter(pk=file_id, wiki__in=readable_wikis(request.user))
        .first()
    )
    if file is None:
        raise NotFound("No such file.")
    return _file_response(request, file.wiki, file)


# --- one wiki ----------------------------------------------------------------


@router.get("/{slug}", auth=ANYONE)
def wiki_get(request, slug: Slug):
    """Get one wiki."""
    wiki = _wiki(request, slug)
    return json_with_etag(request, wiki_out(wiki, request.user), public=_public(wiki))


@router.put("/{slug}", auth=SIGNED_IN)
def wiki_update(request, slug: Slug, payload: MetaIn):
    """Edit title, description, tags, visibility or owner (owner or admin)."""
    wiki = _wiki(request, slug)
    wiki = services.wiki_update_meta(
        actor=request.user, wiki=wiki, **payload.model_dump(exclude_unset=True)
    )
    return wiki_out(Wiki.objects.get(pk=wiki.pk), request.user)


@router.delete("/{slug}", auth=SIGNED_IN)
def wiki_delete(request, slug: Slug):
    """Delete a wiki with its history (owner or admin)."""
    wiki = _wiki(request, slug)
    services.wiki_delete(actor=request.user, wiki=wiki)
    return {"deleted": True, "id": wiki.pk, "slug": wiki.slug}


@router.get("/{slug}/files", auth=ANYONE)
def wiki_files(request, slug: Slug):
    """List the current files (flat, natural order) and the nested tree."""
    wiki = _wiki(request, slug)
    files = WikiFile.objects.filter(wiki=wiki).order_by("sort_key")
    data = {
        "items": [file_out(f, wiki.slug) for f in files],
        "tree": selectors.file_tree(wiki),
        "entry_path": wiki.entry_path,
        "version": wiki.current_version,
    }
    return json_with_etag(request, data, public=_public(wiki))


def _file_response(request, wiki: Wiki, file: WikiFile):
    source = selectors.file_text(file) if is_text_type(file.content_type) else None
    data = file_detail_out(file, wiki.slug, source=source)
    data["backlinks"] = [
        {"path": f.path, "title": f.title} for f in selectors.backlinks(file)[:200]
    ]
    data["version"] = wiki.current_version
    return json_with_etag(request, data, public=_public(wiki))


@router.get("/{slug}/file/{path:path}", auth=ANYONE)
def file_get(request, slug: Slug, path: str):
    """Get one file: metadata, rendered HTML and source for Markdown."""
    wiki = _wiki(request, slug)
    file = selectors.file_get_by_path(wiki, path)
    if file is None:
        raise NotFound("No such file.")
    return _file_response(request, wiki, file)


@router.put("/{slug}/file/{path:path}", auth=SIGNED_IN)
def file_put(request, slug: Slug, path: str, payload: FileIn):
    """Create or edit a text file; a stale baseVersion answers 409 with a diff."""
    wiki = _wiki(request, slug)
    version = services.file_save(
        actor=request.user,
        wiki=wiki,
        path=path,
        content=payload.content,
        base_version=payload.base_version,
        message=payload.message,
    )
    file = selectors.file_get_by_path(wiki, path)
    return {"version": version_out(version), "file": file_out(file, wiki.slug)}


@router.delete("/{slug}/file/{path:path}", auth=SIGNED_IN)
def file_remove(request, slug: Slug, path: str):
    """Delete one file (creates a version)."""
    wiki = _wiki(request, slug)
    version = services.file_delete(actor=request.user, wiki=wiki, path=path)
    return {"version": version_out(version)}


@router.post("/{slug}/move", auth=SIGNED_IN)
def file_move(request, slug: Slug, payload: MoveIn):
    """Rename or move a file: {"from": old path, "to": new path}."""
    wiki = _wiki(request, slug)
    version = services.file_move(
        actor=request.user,
        wiki=wiki,
        old_path=payload.source,
        new_path=payload.to,
        message=payload.message,
    )
    return {"version": version_out(version), "path": version.manifest and payload.to}


@router.post("/{slug}/preview", auth=SIGNED_IN)
def file_preview(request, slug: Slug, payload: PreviewIn):
    """Render unsaved Markdown exactly as saving would (sanitised HTML)."""
    wiki = _wiki(request, slug)
    require_edit(request.user, wiki)
    return {
        "html": services.render_preview(
            wiki=wiki, path=payload.path, content=payload.content
        )
    }


@router.post("/{slug}/upload", auth=SIGNED_IN)
def wiki_upload_into(request, slug: Slug):
    """Upload into a wiki: form field `mode` = replace (default) or merge."""
    return upload_answer(request, wiki=_wiki(request, slug))


# --- versions ----------------------------------------------------------------


@router.get("/{slug}/versions", auth=ANYONE)
def versions(
    request,
    slug: Slug,
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    """List versions, newest first (paginated)."""
    wiki = _wiki(request, slug)
    qs = selectors.version_list(wiki)
    data = {
        "items": [version_out(v) for v in qs[offset : offset + limit]],
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
    }
    return json_with_etag(request, data, public=_public(wiki))


@router.get("/{slug}/versions/{number}", auth=ANYONE)
def version_detail(request, slug: Slug, number: VersionNo):
    """Get one version with its file list."""
    wiki = _wiki(request, slug)
    version = selectors.version_get(wiki, number)
    data = version_out(version)
    data["files"] = [{"path": p, "sha256": s} for p, s in version.manifest.items()]
    return json_with_etag(request, data, public=_public(wiki))


@router.get("/{slug}/versions/{number}/file/{path:path}", auth=ANYONE)
def version_file(request, slug: Slug, number: VersionNo, path: str):
    """Read a file as it was in a version (text inline, binaries by raw URL)."""
    wiki = _wiki(request, slug)
    manifest = selectors.version_get(wiki, number).manifest
    key = selectors.version_manifest_path(manifest, path)
    if key is None:
        raise Http404
    data = selectors.version_file_bytes(wiki, number, key)
    try:
        text = data.decode("utf-8-sig") if data is not None else None
    except UnicodeDecodeError:
        text = None
    body = {
        "version": number,
        "path": key,
        "sha256": manifest[key],
        "size": len(data or b""),
        "content": text,
        "raw_url": f"{raw_url(wiki.slug, key)}?version={number}",
    }
    return json_with_etag(request, body, public=_public(wiki))


@router.get("/{slug}/diff/{a}/{b}", auth=ANYONE)
def diff(request, slug: Slug, a: VersionNo, b: VersionNo):
    """Compare two versions: added, removed and changed files with unified diffs."""
    wiki = _wiki(request, slug)
    return json_with_etag(request, version_diff(wiki, a, b), public=_public(wiki))


@router.post("/{slug}/versions/{number}/restore", auth=SIGNED_IN)
def restore(request, slug: Slug, number: VersionNo, payload: RestoreIn | None = None):
    """Make an old version current again (as a new version)."""
    wiki = _wiki(request, slug)
    version = services.version_restore(
        actor=request.user,
        wiki=wiki,
        number=number,
        message=payload.message if payload else "",
    )
    return {"version": version_out(version)}


@router.get("/{slug}/export", auth=ANYONE)
def export(request, slug: Slug, version: Annotated[int | None, Query(ge=1)] = None):
    """Download a version (default: current) as a .zip of the original files."""
    wiki = _wiki(request, slug)
    return export_response(request, wiki, version)
