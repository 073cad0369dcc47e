"""Domain errors: a message, a stable code and per-field details — no HTTP.

Services raise these; each transport turns them into its own answer in one
place (`deepwiki.transport.errors`: the JSON error shape or an HTML page).
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused request, with a stable machine-readable code."""

    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class BadRequest(DomainError):
    """The request itself is malformed (missing part, mismatched fields)."""

    code = "BAD_REQUEST"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "NOT_FOUND"


class Unauthenticated(DomainError):
    """The request needs (other) credentials."""

    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = "FORBIDDEN"


class Conflict(DomainError):
    """The request clashes with the current state (a stale edit, a busy task)."""

    code = "CONFLICT"


class TooLarge(DomainError):
    """Past a configured size or count limit."""

    code = "PAYLOAD_TOO_LARGE"


class UnsupportedFormat(DomainError):
    """The request body is not in a format this operation accepts."""

    code = "UNSUPPORTED_MEDIA_TYPE"


class Invalid(DomainError):
    """Well-formed but breaks a rule (field details say which)."""

    code = "VALIDATION_ERROR"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    code = "RATE_LIMITED"
