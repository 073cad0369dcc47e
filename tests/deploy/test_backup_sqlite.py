"""`deepwiki backup` / `deepwiki restore` on the embedded default (SQLite + local files).

Runs the real command in a subprocess with its own data directory, so no Django test
database is involved.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .conftest import missing

DEEPWIKI = Path(sys.executable).parent / "deepwiki"


@pytest.fixture
def app(tmp_path):
    if not DEEPWIKI.exists():
        missing(f"{DEEPWIKI} is not installed")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEEPWIKI_DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    def run(*args, ok=True):
        proc = subprocess.run(
            [str(DEEPWIKI), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if ok:
            assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
        return proc

    run("migrate", "--noinput", "-v", "0")
    return run, tmp_path / "data"


def rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def blobs(media: Path) -> dict[str, str]:
    return {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }


def test_sqlite_backup_then_restore_into_empty_data_dir_is_identical(app, tmp_path):
    run, data = app
    run("createadmin", "--email", "a@example.com", "--password", "Very-long-pass-123")
    run(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "for i in range(3):\n"
        "    storages['default'].save(f'blobs/t/{i}.txt', ContentFile(b'x' * (i + 1)))\n",
    )
    before_rows, before_blobs = rows(data / "deepwiki.sqlite3"), blobs(data / "media")
    archive = tmp_path / "b" / "full.tar.gz"
    out = run("backup", str(archive)).stdout
    assert "sqlite-backup-api" in out and "3 blobs" in out

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["blobs"]["count"] == 3
    assert {b["sha256"] for b in manifest["blobs"]["files"]} == set(
        before_blobs.values()
    )
    assert manifest["app_version"] and manifest["created"]

    refused = run("restore", str(archive), ok=False)
    assert refused.returncode != 0 and "--force" in refused.stderr

    for f in data.glob("deepwiki.sqlite3*"):
        f.unlink()
    for p in sorted((data / "media").rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    run("migrate", "--noinput", "-v", "0")
    run("restore", str(archive))
    assert rows(data / "deepwiki.sqlite3") == before_rows
    assert blobs(data / "media") == before_blobs


def test_restore_rejects_a_tampered_archive(app, tmp_path):
    run, data = app
    run(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "storages['default'].save('blobs/one.txt', ContentFile(b'original'))\n",
    )
    archive = tmp_path / "a.tar.gz"
    run("backup", str(archive))
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            fh = src.extractfile(member)
            if member.name == "blobs/blobs/one.txt":
                import io

                data_bytes = b"evil!!!!"
                member.size = len(data_bytes)
                fh = io.BytesIO(data_bytes)
            dst.addfile(member, fh)
    (data / "media" / "blobs" / "one.txt").unlink()
    proc = run("restore", str(tampered), "--force", ok=False)
    assert proc.returncode != 0 and "sha256" in proc.stderr


def test_backup_of_something_else_is_refused(app, tmp_path):
    run, _ = app
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    proc = run("restore", str(bogus), ok=False)
    assert proc.returncode != 0 and "not a DeepWiki backup" in proc.stderr
