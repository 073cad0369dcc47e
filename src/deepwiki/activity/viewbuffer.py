"""Page views buffered off the request path, taken out in batches by the flusher.

A page view must not write to the database (on SQLite every write waits for
the one write lock). Each view is appended as one JSON line to a buffer shared
by every worker of the instance:

- with Redis configured, a Redis list (`RPUSH`, atomic); `take` renames the
  list to a key of its own, so concurrent flushers never see the same entry;
- otherwise, spool files in the data dir, one per process, appended under a
  shared `flock` (the file cache's `incr`/`add` are read-then-write, not
  atomic across processes, and it cannot list its keys); `take` renames the
  files and waits, with an exclusive `flock`, for writers still holding them.

Either way a view is a few microseconds of I/O and no SQL.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("deepwiki.activity")

REDIS_KEY = "dw:views:pending"
SPOOL_SUFFIX = ".views"
TAKEN_SUFFIX = ".taking"


def _redis_client():
    """The raw client when the cache is Redis, else None (file spool)."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    return backend.get_client(REDIS_KEY, write=True)


def _spool_dir() -> Path:
    folder = Path(settings.VIEW_SPOOL_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def buffer_append(entry: dict) -> None:
    """Add one view to the shared buffer (never raises: views are best effort)."""
    line = json.dumps(entry, separators=(",", ":"))
    try:
        client = _redis_client()
        if client is not None:
            client.rpush(REDIS_KEY, line)
        else:
            _spool_append(line + "\n")
    except Exception as exc:  # a lost view must never break reading
        log.warning("page view not buffered: %s", exc.__class__.__name__)


def _spool_append(line: str) -> None:
    path = _spool_dir() / f"{os.getpid()}{SPOOL_SUFFIX}"
    data = line.encode()
    for _ in range(5):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            # A flusher may have renamed the file between open and lock:
            # write only into the file that is still the live spool.
            try:
                live = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                live = False
            if live:
                os.write(fd, data)
                return
        finally:
            os.close(fd)
    raise OSError("view spool kept moving")


def buffer_take() -> tuple[list[dict], object]:
    """Take every buffered view out; returns (entries, token for `buffer_done`)."""
    client = _redis_client()
    if client is not None:
        taken = f"{REDIS_KEY}:taking:{uuid.uuid4().hex}"
        try:
            client.rename(REDIS_KEY, taken)
        except Exception as exc:  # no such key: nothing buffered
            if "no such key" in str(exc).lower():
                return [], None
            raise
        lines = client.lrange(taken, 0, -1)
        return _parse(lines), ("redis", taken)
    return _spool_take()


def _spool_take() -> tuple[list[dict], object]:
    folder = _spool_dir()
    mine = uuid.uuid4().hex
    taken = []
    for path in folder.glob(f"*{SPOOL_SUFFIX}"):
        target = path.with_name(f"{path.name}.{mine}{TAKEN_SUFFIX}")
        try:
            os.rename(path, target)
        except FileNotFoundError:
            continue
        taken.append(target)
    lines: list[bytes] = []
    for path in taken:
        with open(path, "rb") as handle:
            # Writers that opened the file before the rename finish first.
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            lines.extend(handle.read().splitlines())
    return _parse(lines), ("files", taken)


def buffer_done(token, *, entries: list[dict], ok: bool) -> None:
    """Forget the taken views once stored; give them back if storing failed."""
    if token is None:
        return
    kind, where = token
    if kind == "redis":
        client = _redis_client()
        if not ok and entries:
            client.rpush(REDIS_KEY, *[json.dumps(e) for e in entries])
        client.delete(where)
        return
    if not ok and entries:
        _spool_append("".join(json.dumps(e) + "\n" for e in entries))
    for path in where:
        path.unlink(missing_ok=True)


def _parse(lines) -> list[dict]:
    entries = []
    for raw in lines:
        try:
            entries.append(json.loads(raw))
        except ValueError:  # a torn line (a writer killed mid-write)
            continue
    return entries
