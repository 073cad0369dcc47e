"""Errors of the wikis app, in the API's one error shape."""

from __future__ import annotations

from deepwiki.api import errors as api_errors


class UploadError(api_errors.ApiError):
    """A rejected upload: names the offending file(s) and the rule they broke."""

    status = 422
    code = "UPLOAD_REJECTED"

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        files: list[str] | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        details = {"file": list(files or []), "rule": [rule]}
        super().__init__(message, code=code, status=status, details=details)
        self.rule = rule
        self.files = list(files or [])


class TooLarge(UploadError):
    """An upload past one of the configured size or count limits (HTTP 413)."""

    status = 413
    code = "PAYLOAD_TOO_LARGE"


class Conflict(api_errors.Conflict):
    """A stale edit: the file changed since the version the editor started from."""

    code = "EDIT_CONFLICT"


class InvalidPath(api_errors.Invalid):
    """A file path that cannot exist in a wiki (absolute, '..', hidden, …)."""

    code = "INVALID_PATH"
