"""Compare two versions of a wiki: files added, removed and changed."""

from __future__ import annotations

import difflib

from deepwiki.wikis.blobs import blob_read_bytes
from deepwiki.wikis.models import Blob, Wiki
from deepwiki.wikis.paths import natural_sort_key
from deepwiki.wikis.selectors import version_get

MAX_DIFF_BYTES = 1024 * 1024


def version_diff(wiki: Wiki, a: int, b: int) -> dict:
    """Return added/removed paths and per-file changes from version a to version b."""
    old = version_get(wiki, a).manifest
    new = version_get(wiki, b).manifest
    added = sorted((p for p in new if p not in old), key=natural_sort_key)
    removed = sorted((p for p in old if p not in new), key=natural_sort_key)
    changed_paths = sorted(
        (p for p in new if p in old and new[p] != old[p]), key=natural_sort_key
    )
    blobs = Blob.objects.in_bulk(
        list({old[p] for p in changed_paths} | {new[p] for p in changed_paths})
    )
    changed = [_file_change(p, blobs[old[p]], blobs[new[p]]) for p in changed_paths]
    return {"from": a, "to": b, "added": added, "removed": removed, "changed": changed}


def _file_change(path: str, old: Blob, new: Blob) -> dict:
    """Describe one changed file: a unified diff for text, size and hash for binaries."""
    change = {
        "path": path,
        "is_text": False,
        "diff": "",
        "old_size": old.size,
        "new_size": new.size,
        "old_sha256": old.sha256,
        "new_sha256": new.sha256,
    }
    if max(old.size, new.size) > MAX_DIFF_BYTES:
        return change
    before, after = _text(old), _text(new)
    if before is None or after is None:
        return change
    change["is_text"] = True
    change["diff"] = "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
    return change


def _text(blob: Blob) -> str | None:
    """Return a blob as text when it is text (images other than SVG are not)."""
    if blob.content_type.startswith("image/") and blob.content_type != "image/svg+xml":
        return None
    if blob.content_type == "application/pdf":
        return None
    try:
        return blob_read_bytes(blob.sha256).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
