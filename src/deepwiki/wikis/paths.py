"""Wiki file paths: normalisation, hidden/OS junk, natural sort order."""

from __future__ import annotations

import posixpath
import re
import unicodedata

from deepwiki.wikis.errors import UploadError

MAX_PATH = 1000
MAX_SEGMENT = 255
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}
_DIGITS = re.compile(r"(\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_DRIVE = re.compile(r"^[a-zA-Z]:")


def normalize_path(raw: str) -> str:
    """Return the NFC, '/'-separated form of a relative path, or raise UploadError."""
    path = unicodedata.normalize("NFC", str(raw)).replace("\\", "/")
    if _CONTROL.search(path):
        raise UploadError(
            f"“{_shown(raw)}” contains control characters.",
            rule="path-characters",
            files=[_shown(raw)],
        )
    if path.startswith("/") or _WINDOWS_DRIVE.match(path):
        raise UploadError(
            f"“{raw}” is an absolute path; only relative paths are allowed.",
            rule="absolute-path",
            files=[raw],
        )
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UploadError(
            f"“{raw}” points outside the wiki ('..' is not allowed).",
            rule="parent-path",
            files=[raw],
        )
    clean = "/".join(parts)
    if not clean:
        raise UploadError("A file has an empty path.", rule="empty-path", files=[raw])
    if parts[0] == "-":
        raise UploadError(
            f"“{clean}”: a top-level folder named “-” is reserved for wiki pages "
            "such as history and settings; rename the folder.",
            rule="reserved-path",
            files=[clean],
        )
    if len(clean) > MAX_PATH or any(len(p) > MAX_SEGMENT for p in parts):
        raise UploadError(
            f"“{clean[:80]}…” is too long (at most {MAX_PATH} characters).",
            rule="path-length",
            files=[clean[:200]],
        )
    return clean


def _shown(raw: str) -> str:
    """Return a printable form of a path for error messages."""
    return _CONTROL.sub("?", str(raw))


def is_junk(path: str) -> bool:
    """Tell whether a path is OS/editor junk or hidden (skipped silently on upload)."""
    for part in path.split("/"):
        if part.startswith(".") or part.lower() in _JUNK_NAMES or part.startswith("._"):
            return True
    return False


def natural_key(path: str) -> str:
    """Return a sort key: case-insensitive, numbers by value, folders grouped."""
    segments = []
    for part in path.split("/"):
        pieces = _DIGITS.split(part.casefold())
        segments.append(
            "".join(
                f"{int(p):012d}" if p.isdigit() and p.isascii() else p for p in pieces
            )
        )
    return "/".join(segments)[:2048]


def natural_sort_key(path: str) -> tuple:
    """Return a tuple key for sorting paths in Python (same order as natural_key)."""
    return tuple(
        tuple(
            (0, int(p), "") if p.isdigit() and p.isascii() else (1, 0, p)
            for p in _DIGITS.split(part.casefold())
            if p
        )
        for part in path.split("/")
    )


def split_top_folder(paths: list[str]) -> str | None:
    """Return the single top-level folder every path lives in, if there is one."""
    tops = {p.split("/", 1)[0] for p in paths}
    if len(tops) != 1 or any("/" not in p for p in paths):
        return None
    return tops.pop()


def extension(path: str) -> str:
    """Return the lower-case extension without the dot ('' when none)."""
    return posixpath.splitext(path)[1].lower().lstrip(".")


def is_markdown_path(path: str) -> bool:
    """Tell whether a path names a Markdown file."""
    return extension(path) in ("md", "markdown")


def file_folder_clash(paths: list[str]) -> str | None:
    """Return a path that is also used as a folder (ignoring case), if any."""
    folders: set[str] = set()
    for path in paths:
        parts = path.casefold().split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    return next((p for p in paths if p.casefold() in folders), None)


def choose_entry(paths) -> str:
    """Pick the entry page: top-level index/README, else the first Markdown file."""
    top = sorted(p for p in paths if "/" not in p)
    for wanted in ("index.md", "index.markdown", "readme.md", "readme.markdown"):
        for path in top:
            if path.casefold() == wanted:
                return path
    pages = [p for p in paths if is_markdown_path(p)]
    pages.sort(key=lambda p: (p.count("/"), natural_sort_key(p)))
    return pages[0] if pages else ""
