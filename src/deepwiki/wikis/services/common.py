"""Small pieces shared by the wiki services: validation, slugs, blob cleanup."""

from __future__ import annotations

import re
import secrets
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from deepwiki.core.errors import NotFound
from deepwiki.ops.metrics import UPLOADS
from deepwiki.wikis.blobs import BlobWriter
from deepwiki.wikis.errors import InvalidPath, UploadError
from deepwiki.wikis.models import Tag, Visibility, Wiki
from deepwiki.wikis.paths import is_junk, normalize_path

RESERVED_SLUGS = {
    *("-", "new", "upload", "api", "static", "search", "admin", "wikis"),
    *("slug", "file", "list", "bulk-delete", "stats", "export"),
}
MAX_TAGS = 20
_SPACES = re.compile(r"\s+")


@contextmanager
def staged_blobs(*, count_upload: bool = False):
    """Yield a BlobWriter; on any failure delete the blobs it wrote and re-raise."""
    writer = BlobWriter()
    try:
        yield writer
    except BaseException:
        writer.discard()
        if count_upload:
            UPLOADS.labels("rejected").inc()
        raise
    if count_upload:
        UPLOADS.labels("ok").inc()


def clean_title(value: str | None, *, field: str = "title") -> str | None:
    """Return a stripped one-line title, or raise ValidationError."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    if "\x00" in text:
        raise ValidationError({field: ["Null characters are not allowed."]})
    if len(text) > 200:
        raise ValidationError({field: ["Use at most 200 characters."]})
    return text


def clean_description(value: str | None) -> str | None:
    """Return a stripped description, or raise ValidationError."""
    if value is None:
        return None
    text = str(value).strip()
    if "\x00" in text:
        raise ValidationError({"description": ["Null characters are not allowed."]})
    if len(text) > 2000:
        raise ValidationError({"description": ["Use at most 2000 characters."]})
    return text


def clean_tags(value) -> list[str] | None:
    """The one tag parser: a list, or "a, b; c" text, to unique lower-case tags."""
    if value is None:
        return None
    items = value.replace(";", ",").split(",") if isinstance(value, str) else value
    tags: list[str] = []
    for item in items:
        tag = _SPACES.sub(" ", str(item)).strip().lower()
        if not tag or tag in tags:
            continue
        if "\x00" in tag or len(tag) > 50:
            raise ValidationError(
                {"tags": [f"“{tag[:60]}” is not a valid tag (1–50 characters)."]}
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": [f"Use at most {MAX_TAGS} tags."]})
    return tags


def clean_visibility(value: str | None) -> str | None:
    """Return a valid visibility value, or raise ValidationError."""
    if value is None or value == "":
        return None
    if value not in Visibility.values:
        raise ValidationError(
            {"visibility": [f"Choose one of: {', '.join(Visibility.values)}."]}
        )
    return value


def clean_user_path(path: str, *, field: str = "path") -> str:
    """Normalise a path a user typed (editor, move); refuse hidden or unsafe ones."""
    try:
        clean = normalize_path(path)
    except UploadError as exc:
        raise InvalidPath(exc.message, details={field: [exc.message]}) from exc
    if is_junk(clean):
        message = f"“{clean}” is hidden or a system file name; choose another name."
        raise InvalidPath(message, details={field: [message]})
    return clean


def wiki_set_tags(wiki: Wiki, tags: list[str]) -> None:
    """Replace a wiki's tags (creating missing Tag rows)."""
    existing = {t.name: t for t in Tag.objects.filter(name__in=tags)}
    missing = [Tag(name=t) for t in tags if t not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    wiki.tags.set(Tag.objects.filter(name__in=tags))


def slug_base(title: str) -> str:
    """Return a URL-safe slug stem for a title."""
    base = slugify(title)[:60].strip("-") or "wiki"
    return f"{base}-wiki" if base in RESERVED_SLUGS else base


def save_with_unique_slug(wiki: Wiki, title: str) -> None:
    """Save a new wiki under a slug from its title, adding a suffix on collisions."""
    base = slug_base(title)
    candidate = base
    for _ in range(20):
        if not Wiki.objects.filter(slug=candidate).exists():
            wiki.slug = candidate
            try:
                with transaction.atomic():
                    wiki.save()
                return
            except IntegrityError:
                pass  # taken concurrently: try another suffix
        candidate = f"{base}-{secrets.token_hex(3)}"
    wiki.slug = f"wiki-{secrets.token_hex(8)}"
    wiki.save()


def wiki_lock(wiki: Wiki) -> Wiki:
    """Lock the wiki's row for this transaction; NotFound if it was deleted meanwhile."""
    locked = Wiki.objects.select_for_update().filter(pk=wiki.pk).first()
    if locked is None:
        raise NotFound("This wiki was deleted in the meantime.")
    return locked
