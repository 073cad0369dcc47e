"""/api/wikis routes: list, create, read, edit and delete wikis and their files.

Canonical paths live under `/api/wikis` and `/api/files`; the reference paths
under `/api/wiki` are deprecated aliases (see `deepwiki.api.routing`). Collection
aliases must stay registered before `/wiki/{slug}`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Router

from deepwiki.api.access import is_public, readable_wiki
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.caching import cached_list_response, json_with_etag
from deepwiki.api.routers.uploads import upload_answer
from deepwiki.api.routing import route
from deepwiki.api.schemas import (
    CREATE_BODY,
    UPLOAD_INTO_BODY,
    BulkDeleteOut,
    DeletedOut,
    FileDetailOut,
    FilesOut,
    Input,
    MoveOut,
    PreviewOut,
    SaveOut,
    StrictId,
    StrictVersionNo,
    UploadIntoOut,
    VersionResult,
    WikiListOut,
    WikiOut,
    errors,
)
from deepwiki.api.serializers import (
    file_detail_out,
    file_out,
    version_out,
    wiki_out,
)
from deepwiki.api.types import Text
from deepwiki.core.errors import NotFound
from deepwiki.wikis import selectors, services
from deepwiki.wikis.filetypes import is_text_type
from deepwiki.wikis.models import Wiki, WikiFile
from deepwiki.wikis.permissions import require_edit

router = Router(tags=["wikis"])
Slug = Annotated[str, Field(max_length=80)]

# Errors each kind of operation can answer (the body is always ErrorOut).
READ = {304: None, **errors(401, 404, 422)}
WRITE = errors(400, 401, 403, 404, 413, 422)
UPLOAD = errors(400, 401, 403, 404, 409, 413, 422, 429)


class MetaIn(Input):
    title: Text(200) | None = None
    description: Text(2000) | None = None
    tags: list[Text(50)] | Text(1100) | None = Field(
        None, max_length=20, description="A list, or one comma-separated string"
    )
    visibility: Literal["private", "internal", "public"] | None = None
    owner: Text(254) | StrictId | None = Field(
        None,
        description="New owner's e-mail address. Admins hand the wiki over at once "
        "(admins may also give a user id); an owner sends an offer that the other "
        "person must accept (see the transfer routes).",
    )


class FileIn(Input):
    content: Text(10 * 1024 * 1024)
    base_version: StrictVersionNo | None = Field(
        None,
        alias="baseVersion",
        description="The version the edit started from (409 if it changed since)",
    )
    message: Text(500) = ""

    model_config = {"populate_by_name": True}


class MoveIn(Input):
    source: Text(1000) = Field(alias="from")
    to: Text(1000)
    message: Text(500) = ""

    model_config = {"populate_by_name": True}


class PreviewIn(Input):
    path: Text(1000) = "preview.md"
    content: Text(10 * 1024 * 1024)


class BulkDeleteIn(Input):
    wiki_ids: list[StrictId] = Field(alias="wikiIds", max_length=500)

    model_config = {"populate_by_name": True}


# --- collection routes (the aliases must come before /wiki/{slug}) ---------------


@route(
    router,
    "GET",
    "/wikis",
    aliases=["/wiki/list"],
    auth=ANYONE,
    response={200: WikiListOut, **READ},
)
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

    return cached_list_response(request, params, build, schema=WikiListOut)


@route(
    router,
    "POST",
    "/wikis",
    aliases=["/wiki/upload"],
    auth=SIGNED_IN,
    response={201: WikiOut, **UPLOAD},
    openapi_extra=CREATE_BODY,
)
def wiki_upload(request):
    """Create a wiki from multipart `files` (+ parallel `paths`) or one `.zip`.

    Optional form fields: `title`, `description`, `tags` (comma list), `visibility`.
    Large uploads answer 202 with a job to poll (`status_url`).
    """
    return upload_answer(request)


@route(
    router,
    "DELETE",
    "/wikis",
    aliases=[("POST", "/wiki/bulk-delete")],
    auth=SIGNED_IN,
    response={200: BulkDeleteOut, **errors(400, 401, 403, 413, 422)},
)
def wiki_bulk_delete(request, payload: BulkDeleteIn):
    """Delete several wikis; each id reports deleted, not_found or forbidden."""
    return {
        "results": services.wiki_bulk_delete(
            actor=request.user, wiki_ids=payload.wiki_ids
        )
    }


@route(
    router,
    "GET",
    "/files/{file_id}",
    aliases=["/wiki/file/{file_id}"],
    auth=ANYONE,
    response={200: FileDetailOut, **READ},
)
def file_by_id(request, file_id: Annotated[int, Field(ge=1, le=2**62)]):
    """Get one current file by id, with rendered HTML and source."""
    file = selectors.file_get_readable_by_id(request.user, file_id)
    if file is None:
        raise NotFound("No such file.")
    return _file_response(request, file.wiki, file)


# --- one wiki --------------------------------------------------------------------


@route(
    router,
    "GET",
    "/wikis/{slug}",
    aliases=["/wiki/slug/{slug}", "/wiki/{slug}"],
    auth=ANYONE,
    response={200: WikiOut, **READ},
)
def wiki_get(request, slug: Slug):
    """Get one wiki."""
    wiki = readable_wiki(request, slug)
    return json_with_etag(
        request, wiki_out(wiki, request.user), schema=WikiOut, public=is_public(wiki)
    )


@route(
    router,
    "PUT",
    "/wikis/{slug}",
    aliases=["/wiki/{slug}"],
    auth=SIGNED_IN,
    response={200: WikiOut, **WRITE},
)
def wiki_update(request, slug: Slug, payload: MetaIn):
    """Edit title, description, tags or visibility; offer or hand over the wiki.

    Only the fields you send change. `owner`: see the field's description.
    """
    wiki = readable_wiki(request, slug)
    wiki = services.wiki_update_meta(
        actor=request.user, wiki=wiki, **payload.model_dump(exclude_unset=True)
    )
    return wiki_out(selectors.wiki_get_fresh(wiki), request.user)


@route(
    router,
    "DELETE",
    "/wikis/{slug}",
    aliases=["/wiki/{slug}"],
    auth=SIGNED_IN,
    response={200: DeletedOut, **errors(401, 403, 404, 422)},
)
def wiki_delete(request, slug: Slug):
    """Delete a wiki with its history (owner or admin)."""
    wiki = readable_wiki(request, slug)
    services.wiki_delete(actor=request.user, wiki=wiki)
    return {"deleted": True, "id": wiki.pk, "slug": wiki.slug}


@route(
    router,
    "GET",
    "/wikis/{slug}/files",
    aliases=["/wiki/{slug}/files"],
    auth=ANYONE,
    response={200: FilesOut, **READ},
)
def wiki_files(request, slug: Slug):
    """List the current files (flat, natural order) and the nested tree."""
    wiki = readable_wiki(request, slug)
    data = {
        "items": [file_out(f, wiki.slug) for f in selectors.file_list(wiki)],
        "tree": selectors.file_tree(wiki),
        "entry_path": wiki.entry_path,
        "version": wiki.current_version,
    }
    return json_with_etag(request, data, schema=FilesOut, public=is_public(wiki))


def _file_response(request, wiki: Wiki, file: WikiFile):
    source = selectors.file_text(file) if is_text_type(file.content_type) else None
    data = file_detail_out(file, wiki.slug, source=source, viewer=request.user)
    data["backlinks"] = [
        {"path": f.path, "title": f.title} for f in selectors.backlinks(file)[:200]
    ]
    data["version"] = wiki.current_version
    return json_with_etag(request, data, schema=FileDetailOut, public=is_public(wiki))


@route(
    router,
    "GET",
    "/wikis/{slug}/files/{path:path}",
    aliases=["/wiki/{slug}/file/{path:path}"],
    auth=ANYONE,
    response={200: FileDetailOut, **READ},
)
def file_get(request, slug: Slug, path: str):
    """Get one file: metadata, rendered HTML and source for Markdown."""
    wiki = readable_wiki(request, slug)
    file = selectors.file_get_by_path(wiki, path)
    if file is None:
        raise NotFound("No such file.")
    return _file_response(request, wiki, file)


@route(
    router,
    "PUT",
    "/wikis/{slug}/files/{path:path}",
    aliases=["/wiki/{slug}/file/{path:path}"],
    auth=SIGNED_IN,
    response={200: SaveOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def file_put(request, slug: Slug, path: str, payload: FileIn):
    """Create or edit a text file; a stale baseVersion answers 409 with a diff."""
    wiki = readable_wiki(request, slug)
    version = services.file_save(
        actor=request.user,
        wiki=wiki,
        path=path,
        content=payload.content,
        base_version=payload.base_version,
        message=payload.message,
    )
    file = selectors.file_get_by_path(wiki, path)
    return {
        "version": version_out(version, request.user),
        "file": file_out(file, wiki.slug),
    }


@route(
    router,
    "DELETE",
    "/wikis/{slug}/files/{path:path}",
    aliases=["/wiki/{slug}/file/{path:path}"],
    auth=SIGNED_IN,
    response={200: VersionResult, **errors(401, 403, 404, 409, 422)},
)
def file_remove(request, slug: Slug, path: str):
    """Delete one file (creates a version)."""
    wiki = readable_wiki(request, slug)
    version = services.file_delete(actor=request.user, wiki=wiki, path=path)
    return {"version": version_out(version, request.user)}


@route(
    router,
    "POST",
    "/wikis/{slug}/move",
    aliases=["/wiki/{slug}/move"],
    auth=SIGNED_IN,
    response={200: MoveOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def file_move(request, slug: Slug, payload: MoveIn):
    """Rename or move a file: {"from": old path, "to": new path}."""
    wiki = readable_wiki(request, slug)
    version = services.file_move(
        actor=request.user,
        wiki=wiki,
        old_path=payload.source,
        new_path=payload.to,
        message=payload.message,
    )
    return {"version": version_out(version, request.user), "path": payload.to}


@route(
    router,
    "POST",
    "/wikis/{slug}/preview",
    aliases=["/wiki/{slug}/preview"],
    auth=SIGNED_IN,
    response={200: PreviewOut, **WRITE},
)
def file_preview(request, slug: Slug, payload: PreviewIn):
    """Render unsaved Markdown exactly as saving would (sanitised HTML)."""
    wiki = readable_wiki(request, slug)
    require_edit(request.user, wiki)
    return {
        "html": services.render_preview(
            wiki=wiki, path=payload.path, content=payload.content
        )
    }


@route(
    router,
    "POST",
    "/wikis/{slug}/files",
    aliases=["/wiki/{slug}/upload"],
    auth=SIGNED_IN,
    response={200: UploadIntoOut, **UPLOAD},
    openapi_extra=UPLOAD_INTO_BODY,
)
def wiki_upload_into(request, slug: Slug):
    """Upload into a wiki: form field `mode` = replace (default) or merge."""
    return upload_answer(request, wiki=readable_wiki(request, slug))
