"""Content-addressed blob storage through Django STORAGES["default"].

Objects are named ``blobs/ab/<sha256>`` and written before the database
transaction that references them commits, so a row never points at a missing
object. A write that ends up unreferenced (failed import) is deleted by the
writer; anything left behind after a crash is an orphan `cleanup` removes.

Objects are shared, so deleting one races with an import that has just found
it already stored. Both sides take `blob_lock()`: deleters re-check under it
that no row uses the object; an import re-checks under it, until it commits,
that each reused object still exists (and stores it again if not).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from django.db.models import F

from deepwiki.wikis.errors import BlobVanished
from deepwiki.wikis.models import Blob, BlobLock

log = logging.getLogger("deepwiki.wikis.blobs")
PREFIX = "blobs"


def blob_storage():
    """Return the storage holding blobs (the default storage)."""
    return storages["default"]


def blob_name(sha256: str) -> str:
    """Return the storage name of a blob."""
    return f"{PREFIX}/{sha256[:2]}/{sha256}"


def sha256_of(data: bytes) -> str:
    """Return the hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def blob_read_bytes(sha256: str) -> bytes:
    """Return the stored bytes of a blob."""
    with blob_storage().open(blob_name(sha256), "rb") as fh:
        return fh.read()


def blob_open(sha256: str):
    """Open a stored blob for streaming (binary file object)."""
    return blob_storage().open(blob_name(sha256), "rb")


def blob_lock() -> None:
    """Take the blob lock until the current transaction ends (a row update)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("blob_lock() must run inside a transaction")
    if not BlobLock.objects.filter(pk=1).update(taken=F("taken") + 1):
        BlobLock.objects.get_or_create(pk=1)
        BlobLock.objects.filter(pk=1).update(taken=F("taken") + 1)


class BlobWriter:
    """Writes blobs for one operation and remembers which objects it created."""

    def __init__(self) -> None:
        self.storage = blob_storage()
        self.created: list[str] = []
        self.created_set: set[str] = set()
        self.seen: set[str] = set()
        self.bytes_written = 0

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store bytes once (by hash) and return their SHA-256."""
        sha = sha256 or sha256_of(data)
        if sha in self.seen:
            return sha
        name = blob_name(sha)
        if self.storage.exists(name):
            if self.storage.size(name) == len(data):
                self.seen.add(sha)
                return sha
            self.storage.delete(name)  # a torn write from a crash: replace it
        saved = self.storage.save(name, ContentFile(data))
        if saved != name:  # never keep a renamed copy (it would be an orphan)
            self.storage.delete(saved)
            raise OSError(f"storage refused to write {name}")
        self.created.append(sha)
        self.created_set.add(sha)
        self.seen.add(sha)
        self.bytes_written += len(data)
        return sha

    def discard(self) -> list[str]:
        """Delete the objects this writer created that no Blob row references."""
        created, self.created, self.created_set = self.created, [], set()
        if not created:
            return []
        try:
            return blobs_delete_objects(created)
        except DatabaseError:  # database down: `deepwiki cleanup` removes them later
            log.warning("could not check %d new blobs; left for cleanup", len(created))
            return []


def blobs_delete_objects(shas: Iterable[str]) -> list[str]:
    """Delete the stored objects of these hashes that no Blob row uses; return names.

    Runs under the blob lock, so an import that reuses one of them either
    committed its row first (the object stays) or sees it gone and stores it
    again.
    """
    wanted = sorted(set(shas))
    if not wanted:
        return []
    storage = blob_storage()
    removed = []
    with transaction.atomic():
        blob_lock()
        used: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            used.update(
                Blob.objects.filter(sha256__in=chunk).values_list("sha256", flat=True)
            )
        for sha in wanted:
            if sha in used:
                continue
            name = blob_name(sha)
            try:
                storage.delete(name)
                removed.append(name)
            except Exception:
                log.warning("could not delete blob object %s", name)
    return removed


def blobs_confirm_reused(items) -> None:
    """Inside the caller's transaction: make sure reused objects still exist.

    `items` have `sha256` and `reader` (returns the bytes again, or None).
    Holds the blob lock until the caller commits. An object deleted since it
    was found is stored again from its source; without a source the operation
    fails cleanly.
    """
    unique = {item.sha256: item for item in items}
    if not unique:
        return
    blob_lock()
    storage = blob_storage()
    for sha, item in unique.items():
        if storage.exists(blob_name(sha)):
            continue
        data = item.reader() if item.reader else None
        if data is None or sha256_of(data) != sha:
            raise BlobVanished(
                "A file was deleted from storage while this change was saved; "
                "please try again.",
                rule="blob-vanished",
            )
        log.warning("blob %s was deleted during an import; storing it again", sha)
        BlobWriter().put(data, sha)


def blob_object_names() -> list[str]:
    """List every blob object in storage (names relative to the storage root)."""
    storage = blob_storage()
    names: list[str] = []
    try:
        top_dirs, _ = storage.listdir(PREFIX)
    except FileNotFoundError:
        return names
    for top in top_dirs:
        _, files = storage.listdir(f"{PREFIX}/{top}")
        names.extend(f"{PREFIX}/{top}/{f}" for f in files)
    return names
