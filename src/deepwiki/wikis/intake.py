"""Turn uploads (files, folders, zips) into a clean list of wiki files.

Checks everything that can be checked without reading contents: paths, junk,
duplicates, limits and zip safety. Contents are checked by `filetypes`.
"""

from __future__ import annotations

import os
import posixpath
import stat
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from deepwiki.wikis.errors import TooLarge, UploadError
from deepwiki.wikis.paths import (
    file_folder_clash,
    is_junk,
    natural_sort_key,
    normalize_path,
    refuse_lookalikes,
    split_top_folder,
    without_hidden,
)

_MB = 1024 * 1024
BOMB_RATIO = 100
BOMB_MIN_SIZE = 1 * _MB


@dataclass(slots=True)
class IncomingFile:
    """One file to store: its relative path and bytes (or a callable reading them).

    Give ``data`` for small in-memory files, or ``opener`` (plus ``size`` when
    known) so large imports read each file only when needed and never hold
    the whole tree in memory.
    """

    path: str
    data: bytes | None = None
    opener: Callable[[], bytes] | None = field(default=None, repr=False)
    size: int | None = None

    def read(self) -> bytes:
        """Return the file's bytes."""
        if self.data is not None:
            return self.data
        if self.opener is None:
            raise ValueError(f"{self.path}: no data")
        return self.opener()

    def known_size(self) -> int | None:
        """Return the size if it is known without reading."""
        return len(self.data) if self.data is not None else self.size


def limits() -> dict[str, int]:
    """Return the upload limits (their defaults live in config/env.py)."""
    return dict(settings.DEEPWIKI_LIMITS)


def human_size(n: int) -> str:
    """Format a byte count for messages."""
    if n < 1024:
        return f"{n} B"
    value, unit = (n / _MB, "MB") if n >= _MB else (n / 1024, "KB")
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


@dataclass(slots=True)
class Intake:
    """The normalised files of an upload and the name to fall back on as title."""

    files: list[IncomingFile]
    folder_name: str


def intake_files(
    files: list[IncomingFile], *, source_name: str = "", strip_top: bool = True
) -> Intake:
    """Normalise paths, drop junk, refuse duplicates and strip one top folder."""
    lim = limits()
    kept: list[IncomingFile] = []
    for incoming in files:
        path = normalize_path(incoming.path)
        if is_junk(path):
            continue
        incoming.path = path
        size = incoming.known_size()
        if size is not None and size > lim["file_bytes"]:
            raise TooLarge(
                f"“{path}” is {human_size(size)}; the limit per file is "
                f"{human_size(lim['file_bytes'])}.",
                rule="file-size-limit",
                files=[path],
            )
        kept.append(incoming)
    if len(kept) > lim["files"]:
        raise TooLarge(
            f"The upload has {len(kept)} files; the limit is {lim['files']} per wiki.",
            rule="file-count-limit",
            files=[kept[lim["files"]].path],
        )
    _refuse_duplicates([f.path for f in kept])
    folder = split_top_folder([f.path for f in kept]) if strip_top else None
    if folder is not None:
        for incoming in kept:
            # Checked again: "top/-/edit.md" must not become the reserved "-/edit.md".
            incoming.path = normalize_path(incoming.path.split("/", 1)[1])
    kept.sort(key=lambda f: natural_sort_key(f.path))
    return Intake(files=kept, folder_name=folder or _stem(source_name))


def _stem(name: str) -> str:
    """Return a file or folder name without a .zip extension (a fallback title)."""
    base = posixpath.basename(without_hidden(name).replace("\\", "/").rstrip("/"))
    return base[:-4] if base.lower().endswith(".zip") else base


def _refuse_duplicates(paths: list[str]) -> None:
    """Refuse two files that map to the same path (also differing only in case)."""
    seen: dict[str, str] = {}
    for path in paths:
        key = unicodedata.normalize("NFC", path).casefold()
        if key in seen:
            raise UploadError(
                f"“{path}” and “{seen[key]}” are the same path (names must be unique, "
                "ignoring case).",
                rule="duplicate-path",
                files=[seen[key], path],
            )
        seen[key] = path
    refuse_lookalikes(paths)
    clash = file_folder_clash(paths)
    if clash:
        raise UploadError(
            f"“{clash}” is both a file and a folder.",
            rule="duplicate-path",
            files=[clash],
        )


def read_zip(
    zf: zipfile.ZipFile, *, archive_size: int | None = None
) -> list[IncomingFile]:
    """List the files of an open zip after its safety checks (read lazily)."""
    lim = limits()
    if archive_size is not None and archive_size > lim["upload_bytes"]:
        raise TooLarge(
            f"The archive is {human_size(archive_size)}; the upload limit is "
            f"{human_size(lim['upload_bytes'])}.",
            rule="upload-size-limit",
        )
    infos = zf.infolist()
    if len(infos) > lim["files"] * 2 + 1000:
        raise TooLarge(
            f"The archive has {len(infos)} entries; at most {lim['files']} files are "
            "allowed.",
            rule="file-count-limit",
        )
    out: list[IncomingFile] = []
    total = 0
    for info in infos:
        path = normalize_path(info.filename)
        if is_junk(path) or info.is_dir():
            continue
        _check_entry(info, path, lim)
        total += info.file_size
        if total > lim["unzipped_bytes"]:
            raise TooLarge(
                f"The archive unpacks to more than {human_size(lim['unzipped_bytes'])} "
                f"(reached at “{path}”).",
                rule="unzipped-size-limit",
                files=[path],
            )
        out.append(
            IncomingFile(path, opener=_zip_reader(zf, info, path), size=info.file_size)
        )
    _check_archive_ratio(total, archive_size, infos)
    return out


def _check_archive_ratio(
    total: int, archive_size: int | None, infos: list[zipfile.ZipInfo]
) -> None:
    """Refuse an archive that unpacks to far more than it weighs, taken as a whole.

    Many small entries each stay under the per-entry threshold, so the ratio
    is also checked over the whole archive (issue 11: 500 pages in 158 KB).
    """
    packed = archive_size or sum(info.compress_size for info in infos)
    ratio = total / max(packed, 1)
    if total > BOMB_MIN_SIZE and ratio > BOMB_RATIO:
        raise UploadError(
            f"The archive unpacks to {human_size(total)} from {human_size(packed)} "
            f"({ratio:.0f}:1), which looks like a zip bomb.",
            rule="compression-ratio",
        )


def markdown_bytes(files: list[IncomingFile]) -> int:
    """Return the bytes of Markdown among `files` (what rendering will cost)."""
    return sum(
        f.known_size() or 0
        for f in files
        if posixpath.splitext(f.path)[1].lower() in (".md", ".markdown")
    )


def check_render_budget(files: list[IncomingFile]) -> int:
    """Refuse an upload with more Markdown than one upload may render; return it."""
    budget = limits()["render_bytes"]
    total = markdown_bytes(files)
    if total > budget:
        raise TooLarge(
            f"The upload has {human_size(total)} of Markdown pages; one upload may "
            f"have at most {human_size(budget)}. Split it into several uploads.",
            rule="render-budget",
        )
    return total


def _check_entry(info: zipfile.ZipInfo, path: str, lim: dict[str, int]) -> None:
    """Refuse encrypted entries, symlinks, oversized files and bomb-like ratios."""
    if info.flag_bits & 0x1:
        raise UploadError(
            f"“{path}” is encrypted; password-protected archives are not accepted.",
            rule="encrypted-entry",
            files=[path],
        )
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        raise UploadError(
            f"“{path}” is a symbolic link; links are not accepted in archives.",
            rule="symlink",
            files=[path],
        )
    if info.file_size > lim["file_bytes"]:
        raise TooLarge(
            f"“{path}” is {human_size(info.file_size)}; the limit per file is "
            f"{human_size(lim['file_bytes'])}.",
            rule="file-size-limit",
            files=[path],
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > BOMB_MIN_SIZE and ratio > BOMB_RATIO:
        raise UploadError(
            f"“{path}” compresses {ratio:.0f}:1, which looks like a zip bomb.",
            rule="compression-ratio",
            files=[path],
        )


def _zip_reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str):
    """Return a callable reading one entry, never more than its declared size."""

    def read() -> bytes:
        try:
            with zf.open(info) as fh:
                data = fh.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise UploadError(
                f"“{path}” could not be read from the archive ({exc}).",
                rule="corrupt-archive",
                files=[path],
            ) from exc
        if len(data) != info.file_size:
            raise UploadError(
                f"“{path}” is not the size the archive declares.",
                rule="corrupt-archive",
                files=[path],
            )
        return data

    return read


def read_directory(root: str | Path) -> list[IncomingFile]:
    """List the files under a directory (symlinks are refused, junk skipped later)."""
    base = Path(root)
    if not base.is_dir():
        raise UploadError(f"“{root}” is not a directory.", rule="not-a-directory")
    out: list[IncomingFile] = []
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in [
            *filenames,
            *(d for d in dirnames if os.path.islink(Path(dirpath, d))),
        ]:
            full = Path(dirpath, name)
            rel = full.relative_to(base).as_posix()
            if is_junk(rel):
                continue
            if full.is_symlink():
                raise UploadError(
                    f"“{rel}” is a symbolic link; links are not accepted.",
                    rule="symlink",
                    files=[rel],
                )
            out.append(
                IncomingFile(rel, opener=full.read_bytes, size=full.stat().st_size)
            )
    return out
