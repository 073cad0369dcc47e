"""Wiki writes. Each public service owns its transaction.

Blobs are stored before the transaction that references them commits; on any
failure the blobs a service wrote are deleted again, so a rejected upload
stores nothing.
"""

from deepwiki.wikis.errors import Conflict, UploadError
from deepwiki.wikis.intake import IncomingFile
from deepwiki.wikis.services.edits import (
    file_delete,
    file_move,
    file_save,
    render_page,
    render_preview,
    version_restore,
)
from deepwiki.wikis.services.imports import (
    wiki_import,
    wiki_import_archive,
    wiki_update_files,
)
from deepwiki.wikis.services.lifecycle import (
    wiki_bulk_delete,
    wiki_delete,
    wiki_update_meta,
)
from deepwiki.wikis.services.maintenance import blobs_cleanup, rerender_stale
from deepwiki.wikis.services.offers import (
    offer_accept,
    offer_cancel,
    offer_create,
    offer_decline,
)

__all__ = [
    "Conflict",
    "IncomingFile",
    "UploadError",
    "blobs_cleanup",
    "file_delete",
    "file_move",
    "file_save",
    "offer_accept",
    "offer_cancel",
    "offer_create",
    "offer_decline",
    "render_page",
    "render_preview",
    "rerender_stale",
    "version_restore",
    "wiki_bulk_delete",
    "wiki_delete",
    "wiki_import",
    "wiki_import_archive",
    "wiki_update_files",
    "wiki_update_meta",
]
