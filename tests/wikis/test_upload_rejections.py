"""Hostile and invalid uploads: each rule rejects with 4xx and stores nothing."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from .conftest import PDF, PNG, SVG, make_zip, patch_zip_flags, upload, upload_zip

pytestmark = pytest.mark.django_db
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


@pytest.fixture
def alice(api_as, user):
    return api_as(user)


def assert_rejected(response, status: int, rule: str, file: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    assert body["details"]["rule"] == [rule]
    if file is not None:
        assert file in body["details"]["file"]
        assert file in body["error"]


@pytest.mark.parametrize(
    "name, data, rule",
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "file-type"),
        ("script.sh", b"#!/bin/sh\necho hi\n", "file-type"),
        ("page.html", b"<p>hi</p>", "file-type"),
        ("inner.zip", make_zip({"a.md": "# A"}), "file-type"),
        ("notes.md", ELF, "disguised-file"),
        ("notes.md", b"#!/bin/sh\nrm -rf /\n", "disguised-file"),
        ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00", "disguised-file"),
        ("photo.png", b"GIF89a" + b"\x00" * 20, "content-mismatch"),
        ("photo.jpg", PNG, "content-mismatch"),
        ("anim.gif", b"not a gif", "content-mismatch"),
        ("pic.webp", b"RIFF\x00\x00\x00\x00WAVE", "content-mismatch"),
        ("paper.pdf", b"hello", "content-mismatch"),
        ("latin1.md", "# Café\n".encode("latin-1"), "text-encoding"),
        ("data.json", b'{"a": "\x00"}', "text-encoding"),
        ("logo.svg", b"<html><body/></html>", "svg-invalid"),
        ("logo.svg", b"<svg><unclosed></svg>", "svg-invalid"),
        ("bomb.svg", b'<!DOCTYPE svg [<!ENTITY a "x">]><svg>&a;</svg>', "svg-invalid"),
    ],
)
def test_file_with_bad_type_or_content_is_rejected(
    alice, nothing_stored, name, data, rule
):
    response = upload(alice, {"index.md": "# Home\n", f"docs/{name}": data})
    assert_rejected(response, 422, rule, f"docs/{name}")
    nothing_stored()


@pytest.mark.parametrize(
    "path, rule",
    [
        ("/etc/passwd.md", "absolute-path"),
        ("C:/Windows/x.md", "absolute-path"),
        ("../outside.md", "parent-path"),
        ("docs/../../outside.md", "parent-path"),
        ("bad\x01name.md", "path-characters"),
        ("-/history.md", "reserved-path"),
    ],
)
def test_zip_with_unsafe_path_is_rejected(alice, nothing_stored, path, rule):
    response = upload_zip(alice, make_zip({"index.md": "# Home", path: "# X"}))
    assert_rejected(response, 422, rule)
    nothing_stored()


def test_zip_with_symlink_is_rejected(alice, nothing_stored):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.md", "# Home")
        link = zipfile.ZipInfo("secrets.md")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    assert_rejected(upload_zip(alice, buf.getvalue()), 422, "symlink", "secrets.md")
    nothing_stored()


@pytest.mark.parametrize(
    "names",
    [
        ["a.md", "a.md"],
        ["Guide.md", "guide.md"],
        ["caf\u00e9.md", "cafe\u0301.md"],  # NFC and NFD spellings of one name
        ["docs\\a.md", "docs/a.md"],
        ["x.md", "x.md/inner.md"],
    ],
)
def test_zip_with_duplicate_paths_is_rejected(alice, nothing_stored, names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.md", "# Home")
        for name in names:
            zf.writestr(name, "# Dup")
    assert_rejected(upload_zip(alice, buf.getvalue()), 422, "duplicate-path")
    nothing_stored()


def test_encrypted_zip_entry_is_rejected(alice, nothing_stored):
    data = patch_zip_flags(
        make_zip({"index.md": "# Home"}, compression=zipfile.ZIP_STORED), 0x1
    )
    assert_rejected(upload_zip(alice, data), 422, "encrypted-entry", "index.md")
    nothing_stored()


def test_zip_bomb_ratio_is_rejected(alice, nothing_stored):
    data = make_zip({"index.md": "# Home", "big.txt": b"0" * (3 * 1024 * 1024)})
    assert_rejected(upload_zip(alice, data), 422, "compression-ratio", "big.txt")
    nothing_stored()


def test_garbage_named_zip_is_rejected(alice, nothing_stored):
    assert_rejected(upload_zip(alice, b"this is no zip"), 422, "not-a-zip", "docs.zip")
    nothing_stored()


def test_upload_without_markdown_is_rejected(alice, nothing_stored):
    response = upload(alice, {"a.png": PNG, "b.pdf": PDF, "c.svg": SVG})
    assert_rejected(response, 422, "no-markdown")
    nothing_stored()


def test_file_over_the_size_limit_is_413(alice, nothing_stored, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "file_bytes": 1000}
    response = upload(alice, {"index.md": "# Home", "big.md": "x" * 1001})
    assert_rejected(response, 413, "file-size-limit", "big.md")
    assert "1000" in response.json()["error"] or "KB" in response.json()["error"]
    nothing_stored()


def test_too_many_files_is_413(alice, nothing_stored, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "files": 3}
    files = {f"p{i}.md": f"# {i}" for i in range(4)}
    assert_rejected(upload(alice, files), 413, "file-count-limit")
    assert_rejected(upload_zip(alice, make_zip(files)), 413, "file-count-limit")
    nothing_stored()


def test_request_over_the_upload_limit_is_413(alice, nothing_stored, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "upload_bytes": 2000}
    response = upload(alice, {"index.md": "# Home\n" + "x" * 3000})
    assert_rejected(response, 413, "upload-size-limit")
    nothing_stored()


def test_zip_unpacking_past_the_limit_is_413(alice, nothing_stored, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "unzipped_bytes": 5000}
    files = {"index.md": "# Home", "a.txt": "a" * 3000, "b.txt": "b" * 3000}
    assert_rejected(
        upload_zip(alice, make_zip(files)), 413, "unzipped-size-limit", "b.txt"
    )
    nothing_stored()


def test_blobs_written_before_a_late_rejection_are_deleted(alice, nothing_stored):
    # Early files are stored before the bad one is reached; all must go again.
    files = {"index.md": "# Home", "a.png": PNG, "b.pdf": PDF, "z/evil.md": ELF}
    assert_rejected(upload(alice, files), 422, "disguised-file", "z/evil.md")
    nothing_stored()


def test_rejection_keeps_blobs_another_wiki_uses(alice, make_wiki):
    from deepwiki.wikis.models import Blob, Wiki

    make_wiki({"index.md": "# Shared\n", "pic.png": PNG})
    before = Blob.objects.count()
    response = upload(alice, {"index.md": "# Shared\n", "pic.png": PNG, "x.md": ELF})
    assert response.status_code == 422
    assert Wiki.objects.count() == 1 and Blob.objects.count() == before
    from deepwiki.wikis.selectors import blob_read

    assert all(blob_read(b) for b in Blob.objects.all())  # objects still there


def test_junk_is_skipped_and_a_single_top_folder_is_stripped(alice):
    from deepwiki.wikis.models import Wiki

    data = make_zip(
        {
            "Team Docs/index.md": "Hello, no heading here.\n",
            "Team Docs/guide/a.md": "# A",
            "Team Docs/.DS_Store": b"\x00\x01",
            "Team Docs/.git/config": "[core]",
            "__MACOSX/Team Docs/._index.md": b"\x00\x05",
            "Team Docs/Thumbs.db": b"\x00",
        }
    )
    response = upload_zip(alice, data, name="upload.zip")
    assert response.status_code == 201, response.content
    wiki = Wiki.objects.get()
    assert sorted(wiki.files.values_list("path", flat=True)) == [
        "guide/a.md",
        "index.md",
    ]
    assert wiki.title == "Team Docs"  # the stripped folder is the fallback title


def test_bom_text_and_valid_types_are_accepted(alice):
    files = {
        "index.md": "\ufeff# Home\n".encode(),
        "p.png": PNG,
        "p.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 10,
        "p.gif": b"GIF89a" + b"\x00" * 10,
        "p.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        "p.svg": SVG,
        "d.pdf": PDF,
        "d.csv": "a,b\n1,2\n",
        "d.yaml": "a: 1\n",
        "MZ.txt": "MZ is also a word at the start of a text file.\n",
    }
    response = upload(alice, files)
    assert response.status_code == 201, response.content
    assert response.json()["file_count"] == len(files)
