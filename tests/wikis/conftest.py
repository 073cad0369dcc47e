"""Helpers for the wikis tests: build wikis from dicts, inspect real storage."""

from __future__ import annotations

import io
import zipfile

import pytest

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_bytes(value) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def incoming(files: dict) -> list:
    from deepwiki.wikis.services import IncomingFile

    return [IncomingFile(path, as_bytes(data)) for path, data in files.items()]


def make_zip(files: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for path, data in files.items():
            zf.writestr(path, as_bytes(data))
    return buf.getvalue()


@pytest.fixture
def make_wiki(db, user):
    """`make_wiki({"index.md": "# Hi"}, owner=..., visibility=...)` imports a wiki."""
    from deepwiki.wikis.services import wiki_import

    def make(files: dict | None = None, *, owner=None, **kwargs):
        files = files or {"index.md": "# Home\n\nWelcome.\n"}
        return wiki_import(owner=owner or user, files=incoming(files), **kwargs)

    return make


def stored_objects() -> set[str]:
    """Every blob object in the default storage right now."""
    from deepwiki.wikis.blobs import blob_object_names

    return set(blob_object_names())


@pytest.fixture
def nothing_stored(db):
    """Assert after the test body that no wiki, file, blob row or object exists."""

    def check():
        from deepwiki.wikis.models import Blob, Wiki, WikiFile, WikiVersion

        assert Wiki.objects.count() == 0
        assert WikiFile.objects.count() == 0
        assert WikiVersion.objects.count() == 0
        assert Blob.objects.count() == 0
        assert stored_objects() == set()

    return check


def upload(api_client, files: dict, url: str = "/api/wiki/upload", **fields):
    """POST files (path -> bytes/str) as multipart with a parallel `paths` list."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = [
        SimpleUploadedFile(path.rsplit("/", 1)[-1] or "x", as_bytes(data))
        for path, data in files.items()
    ]
    payload = {"files": uploads, "paths": list(files), **fields}
    return api_client.client.post(url, payload, **api_client.headers)


def upload_zip(
    api_client, data: bytes, name: str = "docs.zip", url="/api/wiki/upload", **fields
):
    """POST one .zip archive."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    payload = {"files": [SimpleUploadedFile(name, data)], **fields}
    return api_client.client.post(url, payload, **api_client.headers)


def patch_zip_flags(data: bytes, flag: int) -> bytes:
    """Set general-purpose flag bits in every local and central header of a zip."""
    buf = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = buf.find(sig)
        while pos >= 0:
            value = (
                int.from_bytes(buf[pos + offset : pos + offset + 2], "little") | flag
            )
            buf[pos + offset : pos + offset + 2] = value.to_bytes(2, "little")
            pos = buf.find(sig, pos + 4)
    return bytes(buf)
