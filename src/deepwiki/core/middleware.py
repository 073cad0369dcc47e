"""Security headers and a friendly answer when the database is unreachable."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import TemplateResponse

from deepwiki.api.errors import error_body

log = logging.getLogger("deepwiki.request")


class SecurityHeadersMiddleware:
    """Add the headers Django does not set itself and drop server banners."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if "Server" in response.headers:
            del response.headers["Server"]
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body above the upload limit (413) before anything parses it.

    CSRF and form parsing would otherwise read the whole multipart body into
    temporary files first. nginx's client_max_body_size does the same in front.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DEEPWIKI_LIMITS["upload_bytes"]
        if length > limit:
            return _too_large(request, length, limit)
        return self.get_response(request)


def _too_large(request, length: int, limit: int):
    from deepwiki.core.views import error_response
    from deepwiki.wikis.intake import human_size

    wants_json = request.path.startswith("/api/") or "json" in request.headers.get(
        "Accept", ""
    )
    if not wants_json:
        return error_response(request, 413)
    message = f"The upload is {human_size(length)}; the limit is {human_size(limit)}."
    return JsonResponse(
        error_body(message, "PAYLOAD_TOO_LARGE", {"rule": ["upload-size-limit"]}),
        status=413,
    )


def service_unavailable(request, detail: str = "database unavailable"):
    """Answer 503 in the shape the client expects (JSON for the API, a page else)."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": "The service is temporarily unavailable. Try again shortly.",
                "code": "SERVICE_UNAVAILABLE",
                "details": {},
            },
            status=503,
        )
    else:
        response = TemplateResponse(request, "errors/503.html", status=503)
        response.render()
    response["Retry-After"] = "5"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a friendly 503 instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connect" in str(exception)
        ):
            log.error("database unavailable", exc_info=exception)
            return service_unavailable(request)
        return None
