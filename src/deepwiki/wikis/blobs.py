"""Content-addressed blob storage through Django STORAGES["default"].

Objects are named ``blobs/ab/<sha256>`` and written before the database
transaction that references them commits, so a row never points at a missing
object. A write that ends up unreferenced (failed import) is deleted by the
writer; anything left behind after a crash is an orphan `cleanup` removes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from deepwiki.wikis.models import Blob

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


class BlobWriter:
    """Writes blobs for one operation and remembers which objects it created."""

    def __init__(self) -> None:
        self.storage = blob_storage()
        self.created: list[str] = []
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
        self.seen.add(sha)
        self.bytes_written += len(data)
        return sha

    def discard(self) -> list[str]:
        """Delete the objects this writer created that no Blob row references."""
        if not self.created:
            return []
        kept = set(
            Blob.objects.filter(sha256__in=self.created).values_list(
                "sha256", flat=True
            )
        )
        removed = []
        for sha in self.created:
            if sha in kept:
                continue
            try:
                self.storage.delete(blob_name(sha))
                removed.append(sha)
            except Exception:  # storage down: `deepwiki cleanup` removes it later
                log.warning("could not delete unreferenced blob %s", sha)
        self.created = []
        return removed


def blobs_delete_objects(shas: Iterable[str]) -> list[str]:
    """Delete stored objects by hash (rows must already be gone); return names."""
    storage = blob_storage()
    removed = []
    for sha in shas:
        name = blob_name(sha)
        try:
            storage.delete(name)
            removed.append(name)
        except Exception:
            log.warning("could not delete blob object %s", name)
    return removed


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
