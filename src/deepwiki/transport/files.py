"""Raw file serving and zip downloads (pages and API share these responses).

Raw bytes are user content from another origin's point of view: they get
nosniff, a sandboxing CSP (so an SVG or XML file cannot run script), and
`attachment` unless they are images, PDFs or text.
"""

from __future__ import annotations

import mimetypes
import tempfile

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from deepwiki.core.errors import NotFound
from deepwiki.transport.errors import exception_response
from deepwiki.wikis.blobs import blob_open
from deepwiki.wikis.exporter import export_filename, wiki_export_zip
from deepwiki.wikis.filetypes import IMAGE_TYPES, TEXT_TYPES
from deepwiki.wikis.models import Blob, Visibility, Wiki
from deepwiki.wikis.paths import extension
from deepwiki.wikis.permissions import get_readable_wiki_or_404
from deepwiki.wikis.selectors import (
    file_get_by_path,
    version_get,
    version_manifest_path,
)

SANDBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
RAW_MAX_AGE = 60
_INLINE_PREFIXES = ("image/", "text/", "application/pdf", "application/json")


def _version_param(request) -> int | None:
    raw = request.GET.get("version")
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise Http404("No such version.")
    return int(raw)


def _blob_at(wiki: Wiki, path: str, version: int | None) -> Blob:
    """Find the blob of a path in the current tree or in a given version."""
    if version is None:
        file = file_get_by_path(wiki, path)
        if file is None:
            raise Http404("No such file.")
        return file.blob
    manifest = version_get(wiki, version).manifest
    key = version_manifest_path(manifest, path)
    if key is None:
        raise Http404("No such file in that version.")
    return Blob.objects.get(pk=manifest[key])


def raw_headers(response: HttpResponse, *, wiki: Wiki, blob: Blob, path: str) -> None:
    """Set the safety and caching headers every raw response carries."""
    content_type = blob.content_type or mimetypes.guess_type(path)[0] or ""
    is_text = extension(path) in TEXT_TYPES or content_type.startswith("text/")
    if is_text:
        content_type = f"{content_type}; charset=utf-8"
    inline = (
        extension(path) in IMAGE_TYPES
        or is_text
        or content_type.startswith(_INLINE_PREFIXES)
    )
    response["Content-Type"] = content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(
        not inline, path.rsplit("/", 1)[-1]
    )
    if not content_type.startswith("application/pdf"):
        response["Content-Security-Policy"] = SANDBOX_CSP
    response["ETag"] = f'"{blob.sha256}"'
    scope = "public" if wiki.visibility == Visibility.PUBLIC else "private"
    response["Cache-Control"] = f"{scope}, max-age={RAW_MAX_AGE}"
    if scope == "private":
        response["Vary"] = "Cookie, Authorization"


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or etag in [t.strip() for t in header.split(",")]


@require_GET
def wiki_raw(request, slug: str, path: str):
    """Serve a file's bytes (current tree, or ?version=N) with safe headers."""
    wiki = get_readable_wiki_or_404(request.user, slug)
    blob = _blob_at(wiki, path, _version_param(request))
    if _etag_matches(request, f'"{blob.sha256}"'):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(blob_open(blob.sha256))
        response["Content-Length"] = str(blob.size)
    raw_headers(response, wiki=wiki, blob=blob, path=path)
    return response


def export_response(request, wiki: Wiki, version: int | None) -> FileResponse:
    """Build the zip of a version into a temporary file and stream it."""
    version_get(wiki, version or wiki.current_version)  # 404 for unknown versions
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    wiki_export_zip(wiki, version=version, out=spool, actor=request.user)
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=export_filename(wiki, version),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def wiki_download(request, slug: str):
    """Download a version of the wiki (default: current) as a .zip."""
    wiki = get_readable_wiki_or_404(request.user, slug)
    try:
        return export_response(request, wiki, _version_param(request))
    except NotFound as exc:  # deleted while the zip was written
        return exception_response(request, exc)
