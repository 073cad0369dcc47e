"""GET /api/health."""

from django.http import JsonResponse
from ninja import Router

from deepwiki.ops.access import sees_operational_details
from deepwiki.ops.health import health_report

router = Router(tags=["operations"])


@router.get("/health", auth=None, include_in_schema=True)
def health(request):
    """Status of database, cache and storage; admins (or the metrics token) also
    get timings, uptime, version, environment and process figures."""
    status, body = health_report(details=sees_operational_details(request))
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
