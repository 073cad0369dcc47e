"""The NinjaAPI instance: routers from each app, one error shape for all."""

from __future__ import annotations

import logging

from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from deepwiki import __version__
from deepwiki.api.routers.accounts import router as auth_router
from deepwiki.api.routers.admin import router as admin_router
from deepwiki.api.routers.dashboard import router as dashboard_router
from deepwiki.api.routers.health import router as health_router
from deepwiki.api.routers.search import router as search_router
from deepwiki.api.routers.transfers import router as transfers_router
from deepwiki.api.routers.uploads import router as uploads_router
from deepwiki.api.routers.versions import router as versions_router
from deepwiki.api.routers.wikis import router as wikis_router
from deepwiki.core.errors import DomainError
from deepwiki.transport.errors import CODES, MESSAGES, describe, error_body

log = logging.getLogger("deepwiki.api")

api = NinjaAPI(
    title="DeepWiki API",
    version=__version__,
    description=(
        "JSON API of DeepWiki. Authenticate with a browser session (send the "
        "CSRF token in `X-CSRFToken` for unsafe methods) or with a personal API "
        "token: `Authorization: Bearer dw_…` (create one on your account page). "
        'Every error has the shape `{"error": message, "code": CODE, "details": '
        "{field: [messages]}}`."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)


def respond(request, status: int, message: str, code: str, details=None):
    return api.create_response(
        request, error_body(message, code, details), status=status
    )


def _field_name(loc) -> str:
    parts = [
        str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")
    ]
    return ".".join(parts) or "request"


def on_service_error(request, exc: Exception):
    """Domain errors and Django's ValidationError/PermissionDenied/Http404/413."""
    status, body = describe(exc)
    return api.create_response(request, body, status=status)


for _kind in (
    DomainError,
    DjangoValidationError,
    PermissionDenied,
    Http404,
    RequestDataTooBig,
    # A body the CSRF check or a handler could not parse (malformed multipart,
    # too many files or fields): a 4xx like any refused request.
    MultiPartParserError,
    SuspiciousOperation,
    BadRequest,
    ObjectDoesNotExist,
):
    api.add_exception_handler(_kind, on_service_error)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    details: dict[str, list[str]] = {}
    for err in exc.errors:
        details.setdefault(_field_name(err.get("loc", ())), []).append(
            str(err.get("msg", "Invalid value"))
        )
    return respond(
        request, 422, "Some fields are invalid.", "VALIDATION_ERROR", details
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    message = str(exc) if str(exc) != "Unauthorized" else "Authentication required."
    return respond(request, 401, message, "UNAUTHORIZED")


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return respond(request, 429, "Too many requests. Try again later.", "RATE_LIMITED")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "The request body is not valid JSON."
    return respond(
        request, exc.status_code, message, CODES.get(exc.status_code, "ERROR")
    )


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    log.exception("unhandled API error", exc_info=exc)
    return respond(request, 500, MESSAGES[500][1], CODES[500])


def _register_routers() -> None:
    api.add_router("/auth", auth_router)
    api.add_router("/", health_router)
    # Canonical paths never put a collection word where a slug goes. Only the
    # deprecated /wiki/... aliases do, so for them search (/wiki/search) and the
    # dashboard (/wiki/stats) come before the wikis router (/wiki/{slug}).
    api.add_router("/", search_router)
    api.add_router("/", dashboard_router)
    api.add_router("/", admin_router)
    api.add_router("/", wikis_router)
    api.add_router("/", versions_router)
    api.add_router("/", transfers_router)
    api.add_router("/uploads", uploads_router)


_register_routers()
