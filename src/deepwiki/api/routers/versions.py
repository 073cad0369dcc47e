"""/api/wikis/{slug} version routes: history, old files, diff, restore, export."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router

from deepwiki.api.access import is_public, readable_wiki
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.caching import json_with_etag
from deepwiki.api.routing import route
from deepwiki.api.schemas import (
    DiffOut,
    Input,
    VersionDetailOut,
    VersionFileOut,
    VersionListOut,
    VersionResult,
    errors,
)
from deepwiki.api.serializers import version_out
from deepwiki.api.types import Text
from deepwiki.transport.files import export_response
from deepwiki.wikis import selectors, services
from deepwiki.wikis.diff import version_diff
from deepwiki.wikis.linking import raw_url

router = Router(tags=["versions"])
Slug = Annotated[str, Field(max_length=80)]
VersionNo = Annotated[int, Field(ge=1, le=2_000_000_000)]
READ = {304: None, **errors(401, 404, 422)}


class RestoreIn(Input):
    message: Text(500) = ""


@route(
    router,
    "GET",
    "/wikis/{slug}/versions",
    aliases=["/wiki/{slug}/versions"],
    auth=ANYONE,
    response={200: VersionListOut, **READ},
)
def versions(
    request,
    slug: Slug,
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    """List versions, newest first (paginated)."""
    wiki = readable_wiki(request, slug)
    qs = selectors.version_list(wiki)
    data = {
        "items": [version_out(v, request.user) for v in qs[offset : offset + limit]],
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
    }
    return json_with_etag(request, data, schema=VersionListOut, public=is_public(wiki))


@route(
    router,
    "GET",
    "/wikis/{slug}/versions/{number}",
    aliases=["/wiki/{slug}/versions/{number}"],
    auth=ANYONE,
    response={200: VersionDetailOut, **READ},
)
def version_detail(request, slug: Slug, number: VersionNo):
    """Get one version with its file list."""
    wiki = readable_wiki(request, slug)
    version = selectors.version_get(wiki, number)
    data = version_out(version, request.user)
    data["files"] = [{"path": p, "sha256": s} for p, s in version.manifest.items()]
    return json_with_etag(
        request, data, schema=VersionDetailOut, public=is_public(wiki)
    )


@route(
    router,
    "GET",
    "/wikis/{slug}/versions/{number}/files/{path:path}",
    aliases=["/wiki/{slug}/versions/{number}/file/{path:path}"],
    auth=ANYONE,
    response={200: VersionFileOut, **READ},
)
def version_file(request, slug: Slug, number: VersionNo, path: str):
    """Read a file as it was in a version (text inline, binaries by raw URL)."""
    wiki = readable_wiki(request, slug)
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
    return json_with_etag(request, body, schema=VersionFileOut, public=is_public(wiki))


@route(
    router,
    "GET",
    "/wikis/{slug}/diff/{a}/{b}",
    aliases=["/wiki/{slug}/diff/{a}/{b}"],
    auth=ANYONE,
    response={200: DiffOut, **READ},
    by_alias=True,
)
def diff(request, slug: Slug, a: VersionNo, b: VersionNo):
    """Compare two versions: added, removed and changed files with unified diffs."""
    wiki = readable_wiki(request, slug)
    return json_with_etag(
        request, version_diff(wiki, a, b), schema=DiffOut, public=is_public(wiki)
    )


@route(
    router,
    "POST",
    "/wikis/{slug}/versions/{number}/restore",
    aliases=["/wiki/{slug}/versions/{number}/restore"],
    auth=SIGNED_IN,
    response={200: VersionResult, **errors(400, 401, 403, 404, 413, 422)},
)
def restore(request, slug: Slug, number: VersionNo, payload: RestoreIn | None = None):
    """Make an old version current again (as a new version)."""
    wiki = readable_wiki(request, slug)
    version = services.version_restore(
        actor=request.user,
        wiki=wiki,
        number=number,
        message=payload.message if payload else "",
    )
    return {"version": version_out(version, request.user)}


ZIP = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}


@route(
    router,
    "GET",
    "/wikis/{slug}/export",
    aliases=["/wiki/{slug}/export"],
    auth=ANYONE,
    response={200: None, **errors(401, 404, 422)},
    openapi_extra={
        "responses": {200: {"description": "The .zip archive", "content": ZIP}}
    },
)
def export(
    request,
    slug: Slug,
    version: Annotated[int | None, Query(ge=1, le=2_000_000_000)] = None,
):
    """Download a version (default: current) as a .zip of the original files."""
    wiki = readable_wiki(request, slug)
    return export_response(request, wiki, version)
