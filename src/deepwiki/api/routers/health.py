"""GET /api/health."""

from django.http import JsonResponse
from ninja import Router

from deepwiki.ops.health import health_report

router = Router(tags=["operations"])


@router.get("/health", auth=None, include_in_schema=True)
def health(request):
    """Status, uptime, version and checks of database, cache and storage."""
    status, body = health_report()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
