"""File types checked by content: magic bytes, XML roots, UTF-8 text."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from deepwiki.wikis.errors import UploadError
from deepwiki.wikis.models import FileKind
from deepwiki.wikis.paths import extension

IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}
TEXT_TYPES = {
    "md": "text/markdown",
    "markdown": "text/markdown",
    "txt": "text/plain",
    "json": "application/json",
    "yaml": "application/yaml",
    "yml": "application/yaml",
    "csv": "text/csv",
    "toml": "application/toml",
    "xml": "application/xml",
    "log": "text/plain",
    "ini": "text/plain",
    "cfg": "text/plain",
}
ALLOWED = sorted({*IMAGE_TYPES, *TEXT_TYPES, "pdf"})
# Signatures of things that must never hide behind an allowed extension.
_FORBIDDEN_MAGIC = [
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xce\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or macOS executable"),
    (b"#!", "a script"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
]


@dataclass(frozen=True, slots=True)
class FileType:
    kind: str
    content_type: str


def kind_of_path(path: str) -> str:
    """Return the FileKind a stored file has by its name (its content was checked)."""
    ext = extension(path)
    if ext in ("md", "markdown"):
        return FileKind.MARKDOWN
    if ext in IMAGE_TYPES:
        return FileKind.IMAGE
    return FileKind.ATTACHMENT


def classify(path: str, data: bytes) -> FileType:
    """Return the kind and MIME type of a file, checked by content; raise UploadError."""
    ext = extension(path)
    if ext not in IMAGE_TYPES and ext not in TEXT_TYPES and ext != "pdf":
        shown = f".{ext}" if ext else "no extension"
        raise UploadError(
            f"“{path}”: files with {shown} are not accepted. Allowed: "
            + ", ".join(f".{e}" for e in ALLOWED)
            + ".",
            rule="file-type",
            files=[path],
        )
    _refuse_disguised(path, data)
    if ext == "pdf":
        _expect(path, data.startswith(b"%PDF-"), "a PDF document")
        return FileType(FileKind.ATTACHMENT, "application/pdf")
    if ext == "svg":
        _check_svg(path, data)
        return FileType(FileKind.IMAGE, IMAGE_TYPES[ext])
    if ext in IMAGE_TYPES:
        _expect(path, _image_magic(ext, data), f"a {ext.upper()} image")
        return FileType(FileKind.IMAGE, IMAGE_TYPES[ext])
    _check_text(path, data)
    return FileType(kind_of_path(path), TEXT_TYPES[ext])


def _image_magic(ext: str, data: bytes) -> bool:
    """Tell whether the bytes start like the image format the extension claims."""
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext == "gif":
        return data[:6] in (b"GIF87a", b"GIF89a")
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _refuse_disguised(path: str, data: bytes) -> None:
    """Reject executables and archives whatever their name says."""
    for magic, what in _FORBIDDEN_MAGIC:
        if not data.startswith(magic):
            continue
        # "MZ…" or "BZh…" at the start of a real text file is just text.
        if magic.isascii() and magic != b"#!" and _is_clean_text(data):
            continue
        if data.startswith(magic):
            raise UploadError(
                f"“{path}” is {what}, not the file type its name says.",
                rule="disguised-file",
                files=[path],
            )


def _expect(path: str, ok: bool, what: str) -> None:
    if not ok:
        raise UploadError(
            f"“{path}” is not {what}: its content does not match its extension.",
            rule="content-mismatch",
            files=[path],
        )


def _is_clean_text(data: bytes) -> bool:
    """Tell whether bytes are UTF-8 (BOM allowed) without NUL characters."""
    try:
        return "\x00" not in data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False


def _check_text(path: str, data: bytes) -> None:
    """Text files must be UTF-8 (a BOM is fine) without NUL bytes."""
    if not _is_clean_text(data):
        raise UploadError(
            f"“{path}” is not a UTF-8 text file (binary content or another encoding).",
            rule="text-encoding",
            files=[path],
        )


def _check_svg(path: str, data: bytes) -> None:
    """An SVG must be well-formed XML whose root is <svg> (no DTD tricks)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UploadError(
            f"“{path}”: SVG files with a DOCTYPE or entities are not accepted.",
            rule="svg-invalid",
            files=[path],
        )
    try:
        _check_text(path, data)
        # Safe: DOCTYPE/ENTITY were refused above and expat fetches nothing.
        root = ElementTree.fromstring(data)  # noqa: S314
    except (ElementTree.ParseError, UploadError, ValueError):
        root = None
    if root is None or root.tag.rsplit("}", 1)[-1] != "svg":
        raise UploadError(
            f"“{path}” is not a valid SVG image (it must be XML with an <svg> root).",
            rule="svg-invalid",
            files=[path],
        )


def is_text_type(content_type: str) -> bool:
    """Tell whether stored bytes of this type are UTF-8 text (diffable, previewable)."""
    return content_type in set(TEXT_TYPES.values()) or content_type == "image/svg+xml"
