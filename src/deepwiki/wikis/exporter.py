"""Export a wiki version as a .zip of its original files.

Files sit under one top folder named after the slug; importing the zip strips
that folder again, so import(export(w)) gives the same tree, byte for byte.
"""

from __future__ import annotations

import zipfile

from django.db import transaction

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.errors import NotFound
from deepwiki.wikis.blobs import blob_open
from deepwiki.wikis.models import Wiki
from deepwiki.wikis.paths import natural_sort_key
from deepwiki.wikis.selectors import version_get
from deepwiki.wikis.services.common import wiki_lock

_STORED_TYPES = ("png", "jpg", "jpeg", "gif", "webp", "pdf")
_CHUNK = 1024 * 1024


def wiki_export_zip(wiki: Wiki, *, version: int | None = None, out, actor=None) -> None:
    """Write the files of a version (default: the current one) as a zip to `out`.

    Records a "wiki exported" activity for `actor` (None: the command line).
    """
    snapshot = version_get(wiki, version or wiki.current_version)
    stamp = snapshot.created_at.timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(snapshot.manifest, key=natural_sort_key):
            info = zipfile.ZipInfo(f"{wiki.slug}/{path}", date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            already_packed = path.rsplit(".", 1)[-1].lower() in _STORED_TYPES
            info.compress_type = (
                zipfile.ZIP_STORED if already_packed else zipfile.ZIP_DEFLATED
            )
            with _blob(wiki, snapshot.manifest[path]) as src, zf.open(info, "w") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)
    with transaction.atomic():
        # The wiki may have been deleted while the zip was written: then there
        # is nothing to log against (and nothing to hand out).
        wiki = wiki_lock(wiki)
        activity_record(
            actor=actor,
            action=Activity.Action.WIKI_EXPORTED,
            wiki=wiki,
            details={"version": snapshot.number},
        )


def _blob(wiki: Wiki, sha256: str):
    """Open a blob of the export; a wiki deleted meanwhile is NotFound, not a crash."""
    try:
        return blob_open(sha256)
    except (FileNotFoundError, OSError):
        if not Wiki.objects.filter(pk=wiki.pk).exists():
            raise NotFound("This wiki was deleted in the meantime.") from None
        raise


def export_filename(wiki: Wiki, version: int | None = None) -> str:
    """Return the download name of an export."""
    return f"{wiki.slug}-v{version or wiki.current_version}.zip"
