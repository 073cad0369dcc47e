"""Orchestrator probes: /livez (no I/O) and /readyz (dependencies)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from deepwiki.ops.access import public_checks, sees_operational_details
from deepwiki.ops.health import check_cache, check_database, check_storage


@never_cache
def livez(request):
    """The process is alive and answering; touches nothing else."""
    return JsonResponse({"status": "alive"})


@never_cache
def readyz(request):
    """Ready when the database, cache and storage answer; else 503 naming them."""
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "storage": check_storage(),
    }
    failing = [name for name, result in checks.items() if result["status"] != "up"]
    # A missing cache is degraded service, not unreadiness: the app works uncached.
    blocking = [name for name in failing if name != "cache"]
    body = {
        "status": "not ready" if blocking else "ready",
        "failing": failing,
        "checks": checks
        if sees_operational_details(request)
        else public_checks(checks),
    }
    return JsonResponse(body, status=503 if blocking else 200)
