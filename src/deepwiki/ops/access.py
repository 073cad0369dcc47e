"""Who may read operational details (metrics, process figures, error texts)."""

from __future__ import annotations

import hmac

from django.conf import settings


def metrics_token_sent(request) -> bool:
    """True when the request carries `Authorization: Bearer <METRICS_TOKEN>`."""
    token = settings.METRICS_TOKEN
    if not token:
        return False
    header = request.headers.get("Authorization", "")
    return hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


def sees_operational_details(request) -> bool:
    """Admins and holders of the metrics token; never anonymous callers."""
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_admin", False)) or metrics_token_sent(request)


def public_checks(checks: dict) -> dict:
    """Only the status of each dependency: no versions, hosts or error texts."""
    return {name: {"status": result["status"]} for name, result in checks.items()}
