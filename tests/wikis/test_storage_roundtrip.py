"""Export/import round trips, shared blobs on delete, cleanup, caching headers."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from deepwiki.wikis import services
from deepwiki.wikis.blobs import BlobWriter, blob_storage
from deepwiki.wikis.exporter import wiki_export_zip
from deepwiki.wikis.models import Blob, Wiki

from .conftest import PDF, PNG, SVG, make_zip, stored_objects

pytestmark = pytest.mark.django_db
TREE = {
    "index.md": "# Round trip\n",
    "guide/deep/nested/page.md": "# Nested\n",
    unicodedata.normalize("NFD", "café/résumé.md"): "# Unicode NFD name\n",
    "数据/说明.md": "# 中文\n",
    "img/pic.png": PNG,
    "img/logo.svg": SVG,
    "files/paper.pdf": PDF,
    "files/data.json": '{"a": [1, 2]}\n',
}


def tree_of(wiki) -> dict[str, bytes]:
    from deepwiki.wikis.selectors import blob_read

    return {f.path: blob_read(f.blob) for f in wiki.files.select_related("blob")}


def test_import_of_export_is_byte_identical(make_wiki, user):
    original = make_wiki(TREE)
    expected = {
        unicodedata.normalize("NFC", p): v.encode() if isinstance(v, str) else v
        for p, v in TREE.items()
    }
    assert tree_of(original) == expected
    out = io.BytesIO()
    wiki_export_zip(original, out=out)
    copy = services.wiki_import_archive(
        owner=user, archive=io.BytesIO(out.getvalue()), name="x.zip"
    )
    assert tree_of(copy) == tree_of(original)
    assert copy.title == original.title


def test_export_of_an_old_version_has_the_old_files(make_wiki, user):
    wiki = make_wiki({"index.md": "# v1\n"})
    services.file_save(actor=user, wiki=wiki, path="index.md", content="# v2\n")
    out = io.BytesIO()
    wiki_export_zip(wiki, version=1, out=out)
    with zipfile.ZipFile(out) as zf:
        assert zf.read(f"{wiki.slug}/index.md") == b"# v1\n"


def test_deleting_a_wiki_keeps_blobs_other_wikis_share(
    make_wiki, user, django_capture_on_commit_callbacks
):
    first = make_wiki({"index.md": "# Same\n", "only-first.md": "# First\n"})
    second = make_wiki({"index.md": "# Same\n"})
    with django_capture_on_commit_callbacks(execute=True):
        services.wiki_delete(actor=user, wiki=first)
    assert not Wiki.objects.filter(pk=first.pk).exists()
    remaining = set(Blob.objects.values_list("sha256", flat=True))
    assert remaining == set(second.files.values_list("blob_id", flat=True))
    assert stored_objects() == {f"blobs/{s[:2]}/{s}" for s in remaining}


def test_cleanup_removes_orphan_rows_and_objects(make_wiki):
    make_wiki({"index.md": "# Kept\n"})
    writer = BlobWriter()
    stray = writer.put(b"stray object without a row")
    Blob.objects.create(sha256="0" * 64, size=1, content_type="text/plain")
    blob_storage().save(f"blobs/00/{'0' * 64}", io.BytesIO(b"x"))
    report = services.blobs_cleanup(dry_run=True, min_age_seconds=0)
    assert report["orphan_rows"] == 1 and report["orphan_objects"] == 1
    assert Blob.objects.filter(sha256="0" * 64).exists()
    report = services.blobs_cleanup(min_age_seconds=0)
    assert f"blobs/{stray[:2]}/{stray}" in report["removed"]
    assert not Blob.objects.filter(sha256="0" * 64).exists()
    assert len(stored_objects()) == 1  # only the wiki's page


def test_cleanup_keeps_recent_objects_of_uploads_in_progress(db):
    BlobWriter().put(b"being uploaded right now")
    report = services.blobs_cleanup()
    assert (
        report["kept_recent"] == 1
        and report["removed"] == []
        and len(stored_objects()) == 1
    )


def test_list_is_cached_per_user_and_invalidated_by_writes(
    make_wiki, api_as, user, django_capture_on_commit_callbacks
):
    wiki = make_wiki({"index.md": "# One\n"})
    c = api_as(user)
    first = c.get("/api/wiki/list")
    assert first["X-Cache"] == "MISS"
    second = c.get("/api/wiki/list")
    assert second["X-Cache"] == "HIT" and second.content == first.content
    assert c.get("/api/wiki/list", HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        services.wiki_update_meta(actor=user, wiki=wiki, title="Two")
    third = c.get("/api/wiki/list")
    assert third["X-Cache"] == "MISS" and third.json()["items"][0]["title"] == "Two"


def test_read_endpoints_send_etag_and_answer_304(make_wiki, api_as, user):
    wiki = make_wiki({"index.md": "# One\n"})
    c = api_as(user)
    for url in [
        f"/api/wiki/{wiki.slug}",
        f"/api/wiki/{wiki.slug}/file/index.md",
        f"/api/wiki/{wiki.slug}/versions",
    ]:
        response = c.get(url)
        assert response["ETag"] and "private" in response["Cache-Control"]
        assert c.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    c.put(f"/api/wiki/{wiki.slug}/file/index.md", {"content": "# Two\n"})
    assert (
        c.get(
            f"/api/wiki/{wiki.slug}/file/index.md", HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "path, data, ctype, disposition",
    [
        ("img/logo.svg", SVG, "image/svg+xml", "inline"),
        ("img/pic.png", PNG, "image/png", "inline"),
        ("files/paper.pdf", PDF, "application/pdf", "inline"),
        ("notes.txt", b"hi\n", "text/plain; charset=utf-8", "inline"),
    ],
)
def test_raw_files_have_safe_headers(make_wiki, client, path, data, ctype, disposition):
    wiki = make_wiki({"index.md": "# Home", path: data}, visibility="public")
    response = client.get(f"/wikis/{wiki.slug}/-/raw/{path}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == ctype
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"].strip('"') == wiki.files.get(path=path).blob_id
    if path.endswith(".svg"):
        assert "sandbox" in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
    assert (
        client.get(
            f"/wikis/{wiki.slug}/-/raw/{path}", HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 304
    )


def test_download_streams_the_export_zip(make_wiki, client):
    wiki = make_wiki({"index.md": "# Home"}, visibility="public")
    response = client.get(f"/wikis/{wiki.slug}/-/download")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert zf.namelist() == [f"{wiki.slug}/index.md"]
    assert client.get(f"/wikis/{wiki.slug}/-/download?version=9").status_code == 404


def test_slug_collisions_get_a_suffix(make_wiki):
    a = make_wiki({"index.md": "# Same title"})
    b = make_wiki({"index.md": "# Same title"})
    c = make_wiki({"index.md": "# Upload"})
    assert (
        a.slug == "same-title" and b.slug.startswith("same-title-") and b.slug != a.slug
    )
    assert c.slug == "upload-wiki"


def test_upload_into_existing_wiki_merge_and_replace(make_wiki, api_as, user):
    from .conftest import upload, upload_zip

    wiki = make_wiki({"index.md": "# Home", "keep.md": "# Keep"})
    c = api_as(user)
    r = upload(
        c, {"guide/new.md": "# New"}, url=f"/api/wiki/{wiki.slug}/upload", mode="merge"
    )
    assert r.status_code == 200, r.content
    assert sorted(wiki.files.values_list("path", flat=True)) == [
        "guide/new.md",
        "index.md",
        "keep.md",
    ]
    r = upload_zip(
        c, make_zip({"top/index.md": "# Replaced"}), url=f"/api/wiki/{wiki.slug}/upload"
    )
    assert r.status_code == 200, r.content
    assert list(wiki.files.values_list("path", flat=True)) == ["index.md"]
    assert r.json()["version"]["number"] == 3
