"""One error shape for every API failure: {"error", "code", "details"}."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error with a status, a stable code and optional per-field details."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}


class NotFound(ApiError):
    status, code = 404, "NOT_FOUND"


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"


class Conflict(ApiError):
    status, code = 409, "CONFLICT"


class TooLarge(ApiError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class Invalid(ApiError):
    status, code = 422, "VALIDATION_ERROR"


def error_body(message: str, code: str, details: dict[str, Any] | None = None) -> dict:
    """Build the JSON body every error response uses."""
    return {"error": message, "code": code, "details": details or {}}
