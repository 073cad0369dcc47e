"""HTTP middleware of both transports: headers, size limit, outages, error shape."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse

from deepwiki.transport.errors import (
    MESSAGES,
    error_page,
    is_api,
    json_error,
    wants_json,
)
from deepwiki.wikis.intake import human_size

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
    message = f"The upload is {human_size(length)}; the limit is {human_size(limit)}."
    if not wants_json(request):
        return error_page(request, 413, message)
    return json_error(413, message, details={"rule": ["upload-size-limit"]})


def service_unavailable(request):
    """Answer 503 in the shape the client expects (JSON for the API, a page else)."""
    if is_api(request):
        response = json_error(503)
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


class ApiErrorShapeMiddleware:
    """Give non-JSON 4xx/5xx answers under /api/ the error shape (e.g. 405, 414)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api(request)
            and response.status_code >= 400
            and response.status_code in MESSAGES
            and "json" not in response.get("Content-Type", "")
        ):
            shaped = json_error(response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
