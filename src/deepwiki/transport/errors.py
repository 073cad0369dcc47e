"""The one place where an error becomes a response: a JSON body or an HTML page.

Services raise domain errors (`deepwiki.core.errors`) or Django's
`ValidationError`/`PermissionDenied`/`Http404`; the API's exception handlers,
the HTML error handlers, the middleware and the form views all ask this module
for the status, the code and the body, so every failure looks the same.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from deepwiki.core import errors

API_PREFIX = "/api/"

# The more specific kinds first: an error that is both an upload rejection
# (Invalid) and a size limit (TooLarge) answers 413.
_STATUS: tuple[tuple[type[errors.DomainError], int], ...] = (
    (errors.TooLarge, 413),
    (errors.RateLimited, 429),
    (errors.Unauthenticated, 401),
    (errors.Forbidden, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.UnsupportedFormat, 415),
    (errors.BadRequest, 400),
    (errors.Invalid, 422),
    (errors.DomainError, 400),
)

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Sign in needed", "Authentication required."),
    403: ("Forbidden", "You do not have permission to do that."),
    404: (
        "Not found",
        "We could not find that page. It may have moved or been deleted.",
    ),
    405: ("Method not allowed", "That action is not available here."),
    409: ("Conflict", "That clashes with a change made in the meantime."),
    413: ("Too large", "The request is larger than this server accepts."),
    414: ("Too long", "The request address is too long."),
    415: ("Unsupported format", "The request body is not in a format accepted here."),
    422: ("Invalid", "Some fields are invalid."),
    429: (
        "Too many requests",
        "You are doing that too often. Wait a moment and try again.",
    ),
    500: ("Something went wrong", "An unexpected error happened. It has been logged."),
    503: (
        "Temporarily unavailable",
        "The service is temporarily unavailable. Try again shortly.",
    ),
}
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_body(message: str, code: str, details: dict[str, Any] | None = None) -> dict:
    """Build the JSON body every error response uses."""
    return {"error": message, "code": code, "details": details or {}}


def status_for(exc: BaseException) -> int:
    """Return the HTTP status of a domain or Django error (500 for anything else)."""
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    if isinstance(exc, DjangoValidationError):
        return 422
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        # ObjectDoesNotExist: a row deleted by another request in the meantime.
        return 404
    if isinstance(exc, (RequestDataTooBig, TooManyFilesSent)):
        return 413
    if isinstance(exc, (MultiPartParserError, SuspiciousOperation, BadRequest)):
        return 400
    return 500


def describe(exc: BaseException) -> tuple[int, dict]:
    """Return (status, JSON error body) for an exception a service raised."""
    status = status_for(exc)
    if isinstance(exc, errors.DomainError):
        return status, error_body(exc.message, exc.code, exc.details)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            details = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            return status, error_body("Some fields are invalid.", CODES[422], details)
        return status, error_body(" ".join(exc.messages), CODES[422])
    if isinstance(exc, PermissionDenied) and str(exc):
        return status, error_body(str(exc), CODES[403])
    if status == 404:
        return status, error_body("Not found.", CODES[404])
    if isinstance(exc, RequestDataTooBig):
        return status, error_body("The request body is too large.", CODES[413])
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        message = f"The upload has more than {limit} files; the limit is {limit}."
        return status, error_body(message, CODES[413], {"rule": ["file-count-limit"]})
    if isinstance(exc, MultiPartParserError):
        message = f"The multipart body could not be read ({exc})."
        return status, error_body(message, CODES[400], {"rule": ["malformed-body"]})
    return status, error_body(MESSAGES[status][1], CODES[status])


def message_of(exc: BaseException) -> str:
    """One readable sentence from a service error (for a form or a flash message)."""
    if isinstance(exc, errors.DomainError):
        return exc.message
    if isinstance(exc, DjangoValidationError):
        return " ".join(exc.messages)
    return str(exc) or MESSAGES[status_for(exc)][1]


def is_api(request) -> bool:
    """True for requests to the JSON API (which always answers JSON)."""
    return request.path.startswith(API_PREFIX)


def wants_json(request) -> bool:
    """True for the API and for pages whose script asked for JSON (upload.js)."""
    return is_api(request) or "application/json" in request.headers.get("Accept", "")


def json_error(
    status: int, message: str | None = None, code: str | None = None, details=None
) -> JsonResponse:
    """A JSON error response with the standard body."""
    return JsonResponse(
        error_body(message or MESSAGES[status][1], code or CODES[status], details),
        status=status,
    )


def error_page(request, status: int, message: str | None = None):
    """Render DeepWiki's HTML error page for `status`."""
    title, default = MESSAGES.get(status, MESSAGES[500])
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message or default},
        status=status,
    )


def error_response(request, status: int, message: str | None = None, code=None):
    """Answer `status` the way the client expects: JSON for the API, a page else."""
    if wants_json(request):
        return json_error(status, message, code)
    return error_page(request, status, message)


def exception_response(request, exc: BaseException):
    """Answer a service's exception in the client's format."""
    status, body = describe(exc)
    if wants_json(request):
        return JsonResponse(body, status=status)
    return error_page(request, status, body["error"])
