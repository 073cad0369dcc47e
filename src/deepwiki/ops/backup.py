"""Full backups (database + stored blobs) into one .tar.gz, and their restore.

Archive layout::

    manifest.json          format, versions, created, database vendor and method,
                           blob count and one {name, size, sha256} per blob
    db/deepwiki.sqlite3    SQLite: consistent copy made with sqlite3's online backup API
    db/database.dump       PostgreSQL: `pg_dump --format=custom` (when pg_dump is on PATH)
    db/data.json           any vendor: Django `dumpdata` (fallback, or method="dumpdata")
    blobs/<name>           every file of storages["default"], read through the storage API

Database methods: "native" = SQLite backup API / pg_dump + pg_restore; "dumpdata" =
Django's portable JSON (also moves data between vendors; raw-SQL search tables are
not models, so run `deepwiki reindex` after such a restore).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DatabaseError, connections

import deepwiki

FORMAT = "deepwiki-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows in these tables do not make a database "non-empty" (migrate creates them).
_BOOKKEEPING = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "wikis.bloblock",  # one lock row, created by a migration
}


class BackupError(Exception):
    """A backup or restore could not be completed; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    method: str
    blob_count: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    method: str
    blob_count: int
    blobs_skipped: int


class _HashingReader(io.RawIOBase):
    """Read a file object while hashing exactly what was read."""

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.sha256.update(data)
        return data


def storage_walk(storage, path: str = "") -> list[str]:
    """Return every file name in a Django storage, depth first, sorted."""
    dirs, files = storage.listdir(path)
    names = [str(PurePosixPath(path, f)) if path else f for f in sorted(files)]
    for d in sorted(dirs):
        names.extend(storage_walk(storage, str(PurePosixPath(path, d)) if path else d))
    return names


def backup_create(
    out: str | os.PathLike,
    *,
    database: str = "default",
    storage_alias: str = "default",
    method: str = "auto",
    include_blobs: bool = True,
) -> BackupResult:
    """Write database and blobs into one .tar.gz archive at ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    conn = connections[database]
    vendor = conn.vendor
    partial = out.with_name(f".{out.name}.partial")
    with tempfile.TemporaryDirectory(prefix="deepwiki-backup-") as tmp:
        db_member, db_method = _dump_database(conn, Path(tmp), method=method)
        blobs: list[dict] = []
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(db_member, arcname=f"db/{db_member.name}")
            if include_blobs:
                blobs = _add_blobs(tar, storages[storage_alias])
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": deepwiki.__version__,
                "created": datetime.now(UTC).isoformat(),
                "database": {
                    "vendor": vendor,
                    "method": db_method,
                    "file": f"db/{db_member.name}",
                },
                "blobs": {"count": len(blobs), "files": blobs},
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
    partial.replace(out)
    return BackupResult(out, vendor, db_method, len(blobs), out.stat().st_size)


def _dump_database(conn, tmp: Path, *, method: str) -> tuple[Path, str]:
    if method not in {"auto", "native", "dumpdata"}:
        raise BackupError(f"unknown method {method!r}")
    if method != "dumpdata" and conn.vendor == "sqlite":
        return _sqlite_copy(conn, tmp / "deepwiki.sqlite3"), "sqlite-backup-api"
    if method != "dumpdata" and conn.vendor == "postgresql" and shutil.which("pg_dump"):
        return _pg_dump(conn, tmp / "database.dump"), "pg_dump"
    if method == "native":
        raise BackupError(f"no native backup for {conn.vendor} (is pg_dump on PATH?)")
    target = tmp / "data.json"
    call_command(
        "dumpdata",
        database=conn.alias,
        natural_foreign=True,
        natural_primary=True,
        exclude=["contenttypes", "auth.permission"],
        output=str(target),
        verbosity=0,
    )
    return target, "dumpdata"


def _sqlite_copy(conn, target: Path) -> Path:
    conn.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        # Online backup: a consistent snapshot even while other processes write.
        conn.connection.backup(dest)
    finally:
        dest.close()
    return target


def _pg_env(conn) -> tuple[list[str], dict[str, str]]:
    s = conn.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _pg_dump(conn, target: Path) -> Path:
    args, env = _pg_env(conn)
    cmd = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--file",
        str(target),
    ]
    proc = subprocess.run(
        cmd + args, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BackupError(f"pg_dump failed: {proc.stderr.strip()}")
    return target


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _add_blobs(tar: tarfile.TarFile, storage) -> list[dict]:
    entries = []
    for name in storage_walk(storage):
        info = tarfile.TarInfo(f"blobs/{name}")
        info.size = storage.size(name)
        info.mtime = int(datetime.now(UTC).timestamp())
        with storage.open(name, "rb") as fh:
            reader = _HashingReader(fh)
            tar.addfile(info, reader)
        entries.append(
            {"name": name, "size": info.size, "sha256": reader.sha256.hexdigest()}
        )
    return entries


def database_is_empty(*, database: str = "default") -> bool:
    """Return True when no application table holds a row (or none exists yet)."""
    for model in apps.get_models():
        if model._meta.label_lower in _BOOKKEEPING or not model._meta.managed:
            continue
        try:
            if model._default_manager.using(database).exists():
                return False
        except DatabaseError:
            # Table missing (fresh database): empty as far as we are concerned.
            connections[database].close()
            continue
    return True


def read_manifest(path: str | os.PathLike) -> dict:
    """Return the manifest of a backup archive, checking that it is one."""
    with tarfile.open(path, "r:gz") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except KeyError:
            raise BackupError(
                f"{path} has no {MANIFEST}: not a DeepWiki backup"
            ) from None
    if (
        manifest.get("format") != FORMAT
        or manifest.get("format_version", 0) > FORMAT_VERSION
    ):
        raise BackupError(
            f"{path}: unsupported backup format {manifest.get('format_version')}"
        )
    return manifest


def backup_restore(
    src: str | os.PathLike,
    *,
    force: bool = False,
    database: str = "default",
    storage_alias: str = "default",
) -> RestoreResult:
    """Restore database and blobs from an archive made by ``backup_create``."""
    manifest = read_manifest(src)
    conn = connections[database]
    storage = storages[storage_alias]
    if not force:
        if not database_is_empty(database=database):
            raise BackupError("the database is not empty: use --force to overwrite it")
    db = manifest["database"]
    with (
        tempfile.TemporaryDirectory(prefix="deepwiki-restore-") as tmp,
        tarfile.open(src, "r:gz") as tar,
    ):
        member = tar.getmember(db["file"])
        dump = Path(tmp) / PurePosixPath(member.name).name
        with (
            tar.extractfile(member) as fh,
            open(dump, "wb") as out,
        ):  # a temp file, not media
            shutil.copyfileobj(fh, out)
        _restore_database(
            conn, dump, vendor=db["vendor"], method=db["method"], force=force
        )
        restored, skipped = _restore_blobs(tar, storage, manifest["blobs"]["files"])
    # Cached lists, pages, trees and settings describe the database we replaced
    # (version numbers will be reused): none of it may be served again.
    cache.clear()
    return RestoreResult(db["vendor"], db["method"], restored, skipped)


def _restore_database(
    conn, dump: Path, *, vendor: str, method: str, force: bool
) -> None:
    if method == "dumpdata":
        call_command("migrate", database=conn.alias, interactive=False, verbosity=0)
        if force:
            call_command("flush", database=conn.alias, interactive=False, verbosity=0)
        call_command("loaddata", str(dump), database=conn.alias, verbosity=0)
        return
    if vendor != conn.vendor:
        raise BackupError(
            f"archive holds a {vendor} database ({method}); this one is {conn.vendor}. "
            "Make the backup with --method dumpdata to move between vendors."
        )
    if method == "sqlite-backup-api":
        conn.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(conn.connection)
        finally:
            source.close()
        conn.close()
    elif method == "pg_dump":
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not on PATH")
        conn.close()
        args, env = _pg_env(conn)
        cmd = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        proc = subprocess.run(
            cmd + args + [str(dump)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise BackupError(f"pg_restore failed: {proc.stderr.strip()}")
    else:
        raise BackupError(f"unknown database method {method!r}")


def _restore_blobs(
    tar: tarfile.TarFile, storage, entries: list[dict]
) -> tuple[int, int]:
    restored = skipped = 0
    for entry in entries:
        name = entry["name"]
        if storage.exists(name) and _storage_sha256(storage, name) == entry["sha256"]:
            skipped += 1
            continue
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            reader = _HashingReader(tar.extractfile(f"blobs/{name}"))
            shutil.copyfileobj(reader, spool)
            if reader.sha256.hexdigest() != entry["sha256"]:
                raise BackupError(
                    f"blob {name} does not match its sha256 in the manifest"
                )
            spool.seek(0)
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(spool, name=name))
        if saved != name:
            raise BackupError(f"storage saved {name} as {saved}")
        restored += 1
    return restored, skipped


def _storage_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
