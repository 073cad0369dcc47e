"""GET /api/health."""

from typing import Any

from django.http import JsonResponse
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from deepwiki.ops.access import sees_operational_details
from deepwiki.ops.health import health_report

router = Router(tags=["operations"])


class HealthOut(Schema):
    """Status of the instance; details beyond the checks may be left out."""

    model_config = ConfigDict(extra="allow")

    status: str = Field(description="healthy, degraded or unhealthy")
    timestamp: str
    uptime: float | None = None
    version: str | None = None
    checks: dict[str, dict[str, Any]] = Field(
        description="database, cache and storage: each with its status"
    )


@router.get(
    "/health",
    auth=None,
    include_in_schema=True,
    response={200: HealthOut, 503: HealthOut},
)
def health(request):
    """Status of database, cache and storage; admins (or the metrics token) also
    get timings, uptime, version, environment and process figures."""
    status, body = health_report(details=sees_operational_details(request))
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
