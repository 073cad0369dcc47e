"""The blob store against a real S3 API (moto's server on loopback)."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from storages.backends.s3 import S3Storage

from .conftest import PNG, incoming

BUCKET = "deepwiki-test"


class FlakyS3Storage(S3Storage):
    """S3Storage whose writes start failing after N saves (a dying endpoint)."""

    fail_after: int | None = None
    deletes_fail = False
    saves = 0

    def _save(self, name, content):
        FlakyS3Storage.saves += 1
        if self.fail_after is not None and FlakyS3Storage.saves > self.fail_after:
            raise ConnectionError("S3 endpoint went away")
        return super()._save(name, content)

    def delete(self, name):
        if FlakyS3Storage.deletes_fail:
            raise ConnectionError("S3 endpoint went away")
        return super().delete(name)


@pytest.fixture(scope="session")
def moto_endpoint():
    from conftest import missing_service

    binary = Path(".venv/bin/moto_server")
    if not binary.exists() and not shutil.which("moto_server"):
        missing_service("moto_server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            str(binary if binary.exists() else "moto_server"),
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        missing_service("moto_server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3(settings, moto_endpoint):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": f"{FlakyS3Storage.__module__}.FlakyS3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": moto_endpoint,
            "access_key": "test",
            "secret_key": "test",
            "region_name": "us-east-1",
            "file_overwrite": True,
            "default_acl": None,
        },
    }
    settings.STORAGES = storages
    FlakyS3Storage.fail_after, FlakyS3Storage.deletes_fail, FlakyS3Storage.saves = (
        None,
        False,
        0,
    )
    yield client
    FlakyS3Storage.fail_after, FlakyS3Storage.deletes_fail = None, False
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.django_db
def test_import_read_export_delete_on_s3(
    s3, user, client, django_capture_on_commit_callbacks
):
    from deepwiki.wikis import services
    from deepwiki.wikis.exporter import wiki_export_zip

    wiki = services.wiki_import(
        owner=user,
        files=incoming({"index.md": "# On S3\n![p](p.png)\n", "p.png": PNG}),
        visibility="public",
    )
    assert len(keys(s3)) == 2
    response = client.get(f"/wikis/{wiki.slug}/-/raw/p.png")
    assert b"".join(response.streaming_content) == PNG
    out = io.BytesIO()
    wiki_export_zip(wiki, out=out)
    with zipfile.ZipFile(out) as zf:
        assert zf.read(f"{wiki.slug}/p.png") == PNG
    with django_capture_on_commit_callbacks(execute=True):
        services.wiki_delete(actor=user, wiki=wiki)
    assert keys(s3) == set()


@pytest.mark.django_db
def test_storage_dying_mid_import_leaves_no_wiki_and_cleanup_removes_orphans(s3, user):
    from deepwiki.wikis import services
    from deepwiki.wikis.models import Blob, Wiki, WikiFile

    files = incoming({f"p{i}.md": f"# Page {i}\n" for i in range(6)})
    FlakyS3Storage.fail_after, FlakyS3Storage.deletes_fail = 3, True
    with pytest.raises(ConnectionError):
        services.wiki_import(owner=user, files=files)
    assert Wiki.objects.count() == WikiFile.objects.count() == Blob.objects.count() == 0
    assert len(keys(s3)) == 3  # written before the failure, could not be deleted
    FlakyS3Storage.fail_after, FlakyS3Storage.deletes_fail = (
        None,
        False,
    )  # endpoint is back
    report = services.blobs_cleanup(min_age_seconds=0)
    assert report["orphan_objects"] == 3 and keys(s3) == set()
