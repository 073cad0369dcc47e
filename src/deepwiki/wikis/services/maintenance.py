"""Housekeeping: remove orphaned blobs, re-render pages after renderer changes."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from deepwiki.content import RENDER_VERSION
from deepwiki.core.generation import bump_content_generation
from deepwiki.wikis.blobs import (
    PREFIX,
    blob_lock,
    blob_object_names,
    blob_storage,
    blobs_delete_objects,
)
from deepwiki.wikis.models import Blob, FileKind, VersionBlob, Wiki, WikiFile
from deepwiki.wikis.services.tree import tree_rerender

# Objects younger than this may belong to an upload whose rows are not
# committed yet: leave them for the next run.
DEFAULT_MIN_AGE = 3600


def blobs_cleanup(
    *, dry_run: bool = False, min_age_seconds: int = DEFAULT_MIN_AGE
) -> dict:
    """Remove blob rows nothing references and stored objects without a row."""
    used_by_version = VersionBlob.objects.filter(blob_id=OuterRef("pk"))
    used_by_file = WikiFile.objects.filter(blob_id=OuterRef("pk"))
    orphan_rows = list(
        Blob.objects.filter(
            ~Exists(used_by_version), ~Exists(used_by_file)
        ).values_list("sha256", "size")
    )
    row_shas = [sha for sha, _ in orphan_rows]
    if not dry_run and row_shas:
        with transaction.atomic():
            Blob.objects.filter(sha256__in=row_shas).delete()
    known = set(Blob.objects.values_list("sha256", flat=True))
    stray, recent = _stray_objects(known | set(row_shas), min_age_seconds)
    names = [f"{PREFIX}/{s[:2]}/{s}" for s in row_shas] + stray
    removed = (
        names if dry_run else blobs_delete_objects(row_shas) + _delete_names(stray)
    )
    return {
        "dry_run": dry_run,
        "orphan_rows": len(row_shas),
        "orphan_objects": len(stray),
        "kept_recent": recent,
        "bytes": sum(size for _, size in orphan_rows),
        "removed": removed,
    }


def _stray_objects(known: set[str], min_age_seconds: int) -> tuple[list[str], int]:
    """List stored objects without a Blob row, older than the grace period."""
    storage = blob_storage()
    cutoff = timezone.now() - timedelta(seconds=max(0, min_age_seconds))
    stray, recent = [], 0
    for name in blob_object_names():
        sha = name.rsplit("/", 1)[-1]
        if sha in known:
            continue
        if min_age_seconds > 0 and storage.get_modified_time(name) > cutoff:
            recent += 1
            continue
        stray.append(name)
    return stray, recent


def _delete_names(names: list[str]) -> list[str]:
    """Delete stray objects, under the blob lock, unless a row now uses them."""
    storage = blob_storage()
    removed = []
    with transaction.atomic():
        blob_lock()
        by_sha = {name.rsplit("/", 1)[-1]: name for name in names}
        used = set(
            Blob.objects.filter(sha256__in=list(by_sha)).values_list(
                "sha256", flat=True
            )
        )
        for sha, name in by_sha.items():
            if sha not in used:
                storage.delete(name)
                removed.append(name)
    return removed


def rerender_stale(*, force: bool = False, wiki: Wiki | None = None) -> dict:
    """Re-render (and reindex) pages rendered by an older renderer; all with force."""
    started = time.perf_counter()
    wikis = [wiki] if wiki is not None else list(Wiki.objects.order_by("pk"))
    counts = {"wikis": 0, "files": 0}
    for item in wikis:
        pages = WikiFile.objects.filter(wiki=item, kind=FileKind.MARKDOWN)
        if not force:
            pages = pages.filter(render_version__lt=RENDER_VERSION)
        paths = list(pages.values_list("path", flat=True))
        if not paths:
            continue
        with transaction.atomic():
            locked = Wiki.objects.select_for_update().get(pk=item.pk)
            counts["files"] += tree_rerender(wiki=locked, paths=paths)
            bump_content_generation()
        counts["wikis"] += 1
    counts["seconds"] = round(time.perf_counter() - started, 3)
    return counts
