"""Health checks of the database, cache and storage, with timings."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from deepwiki.ops.access import public_checks

STARTED = time.time()


def _timed(fn) -> dict:
    start = time.perf_counter()
    try:
        detail = fn() or {}
        status = "up"
        error = None
    except Exception as exc:  # any failure of the dependency is "down"
        detail, status, error = (
            {},
            "down",
            f"{exc.__class__.__name__}: {str(exc)[:200]}",
        )
    result = {
        "status": status,
        "latency_ms": round((time.perf_counter() - start) * 1000, 2),
    }
    result.update(detail)
    if error:
        result["error"] = error
    return result


def check_database() -> dict:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"vendor": connection.vendor}

    result = _timed(probe)
    if result["status"] == "down":
        connection.close_if_unusable_or_obsolete()
        with contextlib.suppress(Exception):  # the connection is already broken
            connection.close()
    return result


def check_cache() -> dict:
    def probe():
        backend = cache
        if hasattr(backend, "ping"):
            backend.ping()
            return {"backend": "redis"}
        key = f"health:{uuid.uuid4().hex}"
        backend.set(key, "1", 5)
        if backend.get(key) != "1":
            raise RuntimeError("cache did not return the value it stored")
        backend.delete(key)
        return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}

    return _timed(probe)


def check_storage() -> dict:
    def probe():
        store = storages["default"]
        name = f"health/{uuid.uuid4().hex}.txt"
        saved = store.save(name, ContentFile(b"ok"))
        store.delete(saved)
        return {"backend": "s3" if settings.CONFIG.s3 else "local"}

    return _timed(probe)


def process_figures() -> dict:
    """Memory and CPU of this process (cheap; no I/O beyond /proc)."""
    try:
        import psutil

        proc = psutil.Process(os.getpid())
        mem = proc.memory_info()
        times = proc.cpu_times()
        return {
            "rss_mb": round(mem.rss / 1024 / 1024, 1),
            "cpu_user_s": round(times.user, 2),
            "cpu_system_s": round(times.system, 2),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        }
    except Exception:  # psutil missing or /proc unreadable
        return {}


def health_report(
    *, include_storage: bool = True, details: bool = True
) -> tuple[int, dict]:
    """Return (HTTP status, body) for /api/health; `details=False` for anonymous
    callers leaves only the overall status and each dependency's status."""
    checks = {"database": check_database(), "cache": check_cache()}
    if include_storage:
        checks["storage"] = check_storage()
    if checks["database"]["status"] != "up":
        status, code = "unhealthy", 503
    elif any(c["status"] != "up" for c in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "healthy", 200
    now = datetime.now(UTC).isoformat()
    if not details:
        return code, {
            "status": status,
            "timestamp": now,
            "checks": public_checks(checks),
        }
    body = {
        "status": status,
        "timestamp": now,
        "uptime": round(time.time() - STARTED, 1),
        "version": settings.VERSION,
        "environment": settings.ENVIRONMENT,
        "checks": checks,
        "process": process_figures(),
    }
    return code, body
