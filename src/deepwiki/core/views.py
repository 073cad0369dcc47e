"""Friendly error pages (HTML for people, the JSON error shape for the API)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from deepwiki.api.errors import error_body

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Forbidden", "You do not have permission to do that."),
    404: (
        "Not found",
        "We could not find that page. It may have moved or been deleted.",
    ),
    405: ("Method not allowed", "That action is not available here."),
    413: ("Too large", "The request is larger than this server accepts."),
    429: (
        "Too many requests",
        "You are doing that too often. Wait a moment and try again.",
    ),
    500: ("Something went wrong", "An unexpected error happened. It has been logged."),
}
CODES = {
    400: "BAD_REQUEST",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}


def error_response(request, status: int):
    """Render the error page for `status`, or JSON under /api/."""
    title, message = MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message, CODES[status]), status=status)
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


def ratelimited(request, exception=None):
    return error_response(request, 429)
