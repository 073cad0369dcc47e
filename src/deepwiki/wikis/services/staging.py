"""Stage files: read, check by content, hash and store them before any DB write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from deepwiki.wikis.blobs import BlobWriter, blob_read_bytes, sha256_of
from deepwiki.wikis.errors import TooLarge, UploadError
from deepwiki.wikis.filetypes import classify, kind_of_path
from deepwiki.wikis.intake import IncomingFile, human_size, limits
from deepwiki.wikis.linking import quick_title
from deepwiki.wikis.models import Blob, FileKind, WikiFile
from deepwiki.wikis.progress import progress_report


@dataclass(slots=True)
class Staged:
    """A file of a target tree whose bytes are already in storage."""

    path: str
    sha256: str
    size: int
    kind: str
    content_type: str
    title: str = ""
    reader: Callable[[], bytes] | None = field(default=None, repr=False)
    # The object was already in storage (not written by this operation): the
    # commit re-checks it under the blob lock (blobs.blobs_confirm_reused).
    reused: bool = False

    def text(self) -> str:
        """Return the UTF-8 source (Markdown and other text files)."""
        data = self.reader() if self.reader else blob_read_bytes(self.sha256)
        return data.decode("utf-8-sig")


def stage_incoming(files: list[IncomingFile], writer: BlobWriter) -> dict[str, Staged]:
    """Check each file by content and store it; return the staged tree by path."""
    lim = limits()
    staged: dict[str, Staged] = {}
    total = 0
    for number, incoming in enumerate(files, start=1):
        progress_report("checking", number, len(files))
        data = incoming.read()
        if len(data) > lim["file_bytes"]:
            raise TooLarge(
                f"“{incoming.path}” is {human_size(len(data))}; the limit per file is "
                f"{human_size(lim['file_bytes'])}.",
                rule="file-size-limit",
                files=[incoming.path],
            )
        total += len(data)
        if total > lim["unzipped_bytes"]:
            raise TooLarge(
                f"The files add up to more than {human_size(lim['unzipped_bytes'])} "
                f"(reached at “{incoming.path}”).",
                rule="unzipped-size-limit",
                files=[incoming.path],
            )
        staged[incoming.path] = stage_bytes(
            incoming.path, data, writer, incoming=incoming
        )
    return staged


def stage_bytes(
    path: str, data: bytes, writer: BlobWriter, *, incoming: IncomingFile | None = None
) -> Staged:
    """Classify and store one file's bytes."""
    ftype = classify(path, data)
    sha = writer.put(data, sha256_of(data))
    title = ""
    if ftype.kind == FileKind.MARKDOWN:
        title = quick_title(data.decode("utf-8-sig"), path)
    # Re-read from the source (cheap, local) rather than keeping every file
    # in memory during big imports; small in-memory files stay.
    reader = incoming.read if incoming is not None else (lambda: data)
    return Staged(
        path,
        sha,
        len(data),
        ftype.kind,
        ftype.content_type,
        title,
        reader,
        reused=sha not in writer.created_set,
    )


def staged_from_current(file: WikiFile) -> Staged:
    """Describe a current file as part of a target tree (bytes already stored)."""
    return Staged(
        file.path, file.blob_id, file.size, file.kind, file.content_type, file.title
    )


def staged_from_blob(path: str, blob: Blob) -> Staged:
    """Describe a file of an old version (checked when first stored)."""
    kind = kind_of_path(path)
    staged = Staged(path, blob.sha256, blob.size, kind, blob.content_type)
    if kind == FileKind.MARKDOWN:
        staged.title = quick_title(staged.text(), path)
    return staged


def require_markdown(tree: dict[str, Staged]) -> None:
    """A wiki needs at least one Markdown page."""
    if not any(s.kind == FileKind.MARKDOWN for s in tree.values()):
        raise UploadError(
            "The upload has no Markdown (.md) file; a wiki needs at least one page.",
            rule="no-markdown",
            files=sorted(tree)[:20],
        )
