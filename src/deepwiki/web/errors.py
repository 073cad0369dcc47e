"""Django's error handlers (400/403/404/500 and rate limits) for every URL."""

from __future__ import annotations

from deepwiki.transport.errors import error_response


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
