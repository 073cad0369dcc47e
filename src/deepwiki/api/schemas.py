"""Typed shapes of the JSON API: the error body, inputs, and every resource out.

Input bodies derive from `Input`: they accept a JSON object only (ninja's default
schema reads attributes from anything, so a bare string body used to be read as
an object with methods), refuse unknown fields, and use strict types where a
coercion would be dangerous (`"no"` is not `false`, `"1"` is not an id).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler

from deepwiki.wikis.models import Visibility

__all__ = [
    "ERROR_STATUSES",
    "ErrorOut",
    "Input",
    "StrictBool",
    "StrictId",
    "StrictVersionNo",
    "errors",
]

StrictId = Annotated[StrictInt, Field(ge=1, le=2**62)]
StrictVersionNo = Annotated[StrictInt, Field(ge=1, le=2_000_000_000)]


class Input(Schema):
    """Base of every request body: a JSON object with known fields, typed strictly."""

    model_config = ConfigDict(from_attributes=False, extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler):
        # Replaces ninja's attribute reader: a body is a JSON object, nothing else.
        return handler(values)


# --- errors ---------------------------------------------------------------------


class ErrorOut(Schema):
    """The one error shape of the API."""

    error: str = Field(description="A sentence for people")
    code: str = Field(
        description="Stable machine-readable code, e.g. NOT_FOUND, VALIDATION_ERROR"
    )
    details: dict[str, list[str]] = Field(
        description="Per-field messages; empty when the error is not about fields"
    )


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422, 429)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Map each listed status to the error schema (for a `response=` dict)."""
    unknown = set(statuses) - set(ERROR_STATUSES)
    if unknown:
        raise ValueError(f"Not an error status of this API: {sorted(unknown)}")
    return dict.fromkeys(statuses, ErrorOut)


# --- people ---------------------------------------------------------------------


class UserRef(Schema):
    """Another person as others see them: a display name, never an e-mail address."""

    id: int
    name: str = Field(description="Display name (the e-mail address is never used)")
    email: str | None = Field(
        None, description="Only for admins and for yourself; null otherwise"
    )


# --- wikis ----------------------------------------------------------------------


class WikiOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    tags: list[str]
    visibility: str = Field(description="private, internal or public")
    owner: UserRef | None = Field(description="null when the account was deleted")
    entry_path: str
    current_version: int
    file_count: int
    total_size: int
    created_at: datetime
    updated_at: datetime
    url: str
    can_edit: bool


class WikiListOut(Schema):
    items: list[WikiOut]
    total: int
    limit: int
    offset: int


class DeletedOut(Schema):
    deleted: bool
    id: int
    slug: str


class BulkResult(Schema):
    id: Any = Field(description="The id as sent")
    status: str = Field(description="deleted, not_found or forbidden")


class BulkDeleteOut(Schema):
    results: list[BulkResult]


# --- files ----------------------------------------------------------------------


class FileOut(Schema):
    id: int
    path: str
    name: str
    kind: str = Field(description="markdown, image or attachment")
    content_type: str
    size: int
    sha256: str
    title: str
    updated_at: datetime
    url: str
    raw_url: str


class TreeNode(Schema):
    name: str
    path: str
    kind: str = Field(description="folder, markdown, image or attachment")
    title: str | None = Field(None, description="Files only")
    is_entry: bool
    children: list[TreeNode]


class FilesOut(Schema):
    items: list[FileOut]
    tree: list[TreeNode]
    entry_path: str
    version: int


class WikiRefOut(Schema):
    id: int
    slug: str


class Backlink(Schema):
    path: str
    title: str


class FileDetailOut(FileOut):
    updated_by: UserRef | None
    wiki: WikiRefOut
    html: str | None = Field(None, description="Rendered page (Markdown only)")
    toc: list[dict[str, Any]] | None = Field(
        None, description="Headings (Markdown only)"
    )
    meta: dict[str, Any] | None = Field(
        None, description="Front matter (Markdown only)"
    )
    source: str | None = Field(description="Text content; null for binary files")
    backlinks: list[Backlink]
    version: int


# --- versions -------------------------------------------------------------------


class VersionOut(Schema):
    number: int
    action: str
    message: str
    author: UserRef | None
    created_at: datetime
    file_count: int
    total_size: int


class VersionListOut(Schema):
    items: list[VersionOut]
    total: int
    limit: int
    offset: int


class ManifestEntry(Schema):
    path: str
    sha256: str


class VersionDetailOut(VersionOut):
    files: list[ManifestEntry]


class VersionFileOut(Schema):
    version: int
    path: str
    sha256: str
    size: int
    content: str | None = Field(description="Text content; null for binary files")
    raw_url: str


class FileChange(Schema):
    path: str
    is_text: bool
    diff: str = Field(description="Unified diff (text files under 1 MB)")
    old_size: int
    new_size: int
    old_sha256: str
    new_sha256: str


class DiffOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from")
    to: int
    added: list[str]
    removed: list[str]
    changed: list[FileChange]


class VersionResult(Schema):
    version: VersionOut


class SaveOut(Schema):
    version: VersionOut
    file: FileOut


class MoveOut(Schema):
    version: VersionOut
    path: str


class PreviewOut(Schema):
    html: str


class UploadIntoOut(Schema):
    version: VersionOut
    wiki: WikiOut


# --- ownership offers -----------------------------------------------------------


class OfferWiki(Schema):
    slug: str
    title: str


class OfferOut(Schema):
    """An offer to take over a wiki; the recipient is only named to the sender."""

    id: int
    wiki: OfferWiki
    offered_by: UserRef | None
    to_email: str | None = Field(
        description="The address the offer was sent to (shown to its sender only)"
    )
    created_at: datetime
    expires_at: datetime


class OfferList(Schema):
    items: list[OfferOut]
    total: int


class TransferOut(Schema):
    """What an owner change did: an admin moves it, an owner makes an offer."""

    transferred: bool = Field(description="true when the owner changed right away")
    wiki: WikiOut
    offer: OfferOut | None = Field(
        description="The pending offer (the new owner must accept it)"
    )
    message: str


# --- upload bodies (documentation: the upload handlers read the form themselves) --

MULTIPART_FILES = {
    "type": "array",
    "items": {"type": "string", "format": "binary"},
    "description": "The files, or a single .zip",
}


def _multipart(properties: dict, required: list[str]) -> dict:
    """OpenAPI body of an upload (the handler reads the multipart form itself)."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


def _text_field(max_length: int, description: str) -> dict:
    return {"type": "string", "maxLength": max_length, "description": description}


CREATE_BODY = _multipart(
    {
        "files": MULTIPART_FILES,
        "paths": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Relative path of each file, in the order of `files`",
        },
        "title": _text_field(200, "Title (default: from the entry page)"),
        "description": _text_field(2000, "Description"),
        "tags": _text_field(1100, "Comma-separated tags"),
        "visibility": {"type": "string", "enum": [v.value for v in Visibility]},
    },
    ["files"],
)
UPLOAD_INTO_BODY = _multipart(
    {
        "files": MULTIPART_FILES,
        "paths": CREATE_BODY["requestBody"]["content"]["multipart/form-data"]["schema"][
            "properties"
        ]["paths"],
        "mode": {
            "type": "string",
            "enum": ["replace", "merge"],
            "description": "replace: the upload becomes the whole tree (default); "
            "merge: add or overwrite these files",
        },
        "message": _text_field(500, "Change note"),
    },
    ["files"],
)
