"""Errors of the wikis app (domain errors: codes and details, no HTTP)."""

from __future__ import annotations

from deepwiki.core import errors


class UploadError(errors.Invalid):
    """A rejected upload: names the offending file(s) and the rule they broke."""

    code = "UPLOAD_REJECTED"

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        files: list[str] | None = None,
        code: str | None = None,
    ) -> None:
        details = {"file": list(files or []), "rule": [rule]}
        super().__init__(message, code=code, details=details)
        self.rule = rule
        self.files = list(files or [])


class TooLarge(UploadError, errors.TooLarge):
    """An upload past one of the configured size or count limits."""

    code = "PAYLOAD_TOO_LARGE"


class MalformedUpload(UploadError, errors.BadRequest):
    """An upload request missing its parts (no files, paths not matching files)."""


class BlobVanished(UploadError, errors.Conflict):
    """A stored object disappeared while a change was being saved; retry."""


class Conflict(errors.Conflict):
    """A stale edit: the file changed since the version the editor started from."""

    code = "EDIT_CONFLICT"


class InvalidPath(errors.Invalid):
    """A file path that cannot exist in a wiki (absolute, '..', hidden, …)."""

    code = "INVALID_PATH"
