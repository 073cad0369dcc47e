"""Request id and one access-log line per request."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from django.conf import settings
from django.utils.functional import empty

from deepwiki.ops.logging import request_id_var, user_id_var

log = structlog.get_logger("deepwiki.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Paths that carry secrets are logged with the secret replaced.
_SECRET_PATHS = [re.compile(r"^(/accounts/reset/[^/]+/)[^/]+(/?)$")]
QUIET_PATHS = {"/livez", "/readyz", "/api/health", "/metrics"}


def redact_path(path: str) -> str:
    """Hide password-reset tokens and similar secrets in logged paths."""
    for pattern in _SECRET_PATHS:
        path = pattern.sub(r"\1[redacted]\2", path)
    return path


def _user_id(request) -> str:
    """The user id if authentication already ran; never triggers a query."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return ""
    try:
        return str(user.pk) if user.is_authenticated else ""
    except Exception:
        return ""


class RequestIdMiddleware:
    """Take X-Request-ID from a trusted proxy or make one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        if settings.CONFIG.trust_proxy and _VALID_ID.match(incoming):
            rid = incoming
        else:
            rid = uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


class AccessLogMiddleware:
    """Log method, path, status, duration and user id for every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        token = user_id_var.set("")
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - start) * 1000, 2)
            uid = _user_id(request)
            level = (
                "debug"
                if request.path in QUIET_PATHS and response.status_code < 400
                else "info"
            )
            getattr(log, level)(
                "request",
                method=request.method,
                path=redact_path(request.path),
                status=response.status_code,
                duration_ms=duration_ms,
                user_id=uid or None,
                request_id=getattr(request, "request_id", None),
            )
            return response
        finally:
            user_id_var.reset(token)
