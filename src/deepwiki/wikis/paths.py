"""Wiki file paths: normalisation, hidden/OS junk, natural sort order.

Every path a user gives (upload of files, folder or zip, the API, the
editor's new file and move, the CLI import) is checked here, so a name cannot
lie about itself: no control, invisible or text-direction characters, no
look-alike of an existing name, no way into the reserved “-” folder.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable

from deepwiki.wikis.errors import UploadError

MAX_PATH = 1000
MAX_SEGMENT = 255
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}
_DIGITS = re.compile(r"(\d+)")
_WINDOWS_DRIVE = re.compile(r"^[a-zA-Z]:")
# Cc: C0, DEL and C1 controls; Cf: bidi controls, zero-width characters, BOM,
# soft hyphen, tag characters; Cs: undecodable bytes from the file system;
# Zl/Zp: line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
# Characters drawn like a path separator (NFKC does not map all of them to "/").
_SLASH_LOOKALIKES = set("\u2044\u2215\u2216\u29f5\u29f8\u29f9\uff0f\uff3c")


def normalize_path(raw: str) -> str:
    """Return the NFC, '/'-separated form of a relative path, or raise UploadError."""
    _refuse_hidden_characters(str(raw))
    path = unicodedata.normalize("NFC", str(raw)).replace("\\", "/")
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
    if lookalike_key(parts[0]) == "-":
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
    _refuse_separator_lookalikes(clean, parts)
    return clean


def _refuse_hidden_characters(raw: str) -> None:
    """Refuse control, invisible and text-direction characters anywhere in a path."""
    for index, char in enumerate(raw):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            shown = _shown(raw)
            raise UploadError(
                f"“{shown}” contains {_describe(char)} at position {index + 1}. "
                "File and folder names may not contain control, invisible or "
                "text-direction characters, because they can make a name look "
                "like another one; rename it.",
                rule="path-characters",
                files=[shown],
            )


def _refuse_separator_lookalikes(clean: str, parts: list[str]) -> None:
    """Refuse names drawn like a folder separator or like '.' and '..'."""
    for part in parts:
        key = lookalike_key(part)
        if (
            _SLASH_LOOKALIKES.intersection(part)
            or "/" in key
            or "\\" in key
            or key in (".", "..")
        ):
            raise UploadError(
                f"“{clean}”: the name “{part}” looks like a folder separator or "
                "like “.”/“..”, so the path would not be what it seems; rename it.",
                rule="lookalike-path",
                files=[clean],
            )


def _describe(char: str) -> str:
    """Name a refused character for a message, e.g. 'U+202E (RIGHT-TO-LEFT …)'."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name:
        kind = {"Cc": "a control character", "Cs": "an undecodable byte"}
        return f"{kind.get(unicodedata.category(char), 'a hidden character')} {code}"
    return f"the hidden character {code} ({name})"


def _shown(raw: str) -> str:
    """Return a printable form of a path: refused characters as ⟨U+XXXX⟩."""
    return "".join(
        f"⟨U+{ord(c):04X}⟩" if unicodedata.category(c) in _REFUSED_CATEGORIES else c
        for c in str(raw)
    )


def without_hidden(text: str) -> str:
    """Return text without control, invisible and text-direction characters."""
    return "".join(
        c for c in str(text) if unicodedata.category(c) not in _REFUSED_CATEGORIES
    )


def lookalike_key(name: str) -> str:
    """Return the NFKC + casefold form under which look-alike names are equal."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def refuse_lookalikes(paths: Iterable[str], *, existing: Iterable[str] = ()) -> None:
    """Refuse a file or folder name that only looks like another one (e.g. Ａ/a).

    Names equal ignoring case are the same name (handled as duplicates or
    overwrites elsewhere); names equal only after compatibility mapping
    (full-width letters, ligatures, superscripts …) would show two entries
    that read the same, so they are refused. `existing` pairs are not compared
    with each other, only with the new paths and the new paths among themselves.
    """
    seen: dict[str, dict[str, str]] = {}
    for path in existing:
        for name in _names(path):
            seen.setdefault(lookalike_key(name), {}).setdefault(name.casefold(), name)
    for path in paths:
        for name in _names(path):
            same = seen.setdefault(lookalike_key(name), {})
            if same and name.casefold() not in same:
                other = next(iter(same.values()))
                raise UploadError(
                    f"“{name}” looks the same as “{other}” but is a "
                    "different name (full-width or other compatibility characters); "
                    "rename it so every name reads differently.",
                    rule="lookalike-path",
                    files=[name, other],
                )
            same.setdefault(name.casefold(), name)


def _names(path: str) -> list[str]:
    """Return the folder prefixes of a path and the path itself."""
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


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
