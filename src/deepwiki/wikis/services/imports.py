"""Create wikis from uploads and archives; upload into an existing wiki."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from django.db import transaction

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.content import render
from deepwiki.core.generation import bump_content_generation
from deepwiki.core.models import SiteSettings
from deepwiki.ops.metrics import IMPORTED_FILES
from deepwiki.wikis.errors import TooLarge, UploadError
from deepwiki.wikis.indexing import search_index
from deepwiki.wikis.intake import IncomingFile, intake_files, limits, read_zip
from deepwiki.wikis.models import Visibility, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.paths import choose_entry, file_folder_clash, refuse_lookalikes
from deepwiki.wikis.permissions import require_edit
from deepwiki.wikis.services.common import (
    clean_description,
    clean_tags,
    clean_title,
    clean_visibility,
    save_with_unique_slug,
    staged_blobs,
    wiki_lock,
    wiki_set_tags,
)
from deepwiki.wikis.services.staging import (
    Staged,
    require_markdown,
    stage_incoming,
    staged_from_current,
)
from deepwiki.wikis.services.tree import actor_or_none, tree_commit


def wiki_import(
    *,
    owner,
    files: list[IncomingFile],
    title: str | None = None,
    description: str | None = None,
    tags=None,
    visibility: str | None = None,
    source_name: str = "",
    message: str = "",
) -> Wiki:
    """Create a wiki from files; all of it is stored, or nothing (UploadError)."""
    title = clean_title(title) or None
    description = clean_description(description)
    tags = clean_tags(tags)
    visibility = clean_visibility(visibility) or _default_visibility()
    with staged_blobs(count_upload=True) as writer:
        intake = intake_files(list(files), source_name=source_name)
        target = stage_incoming(intake.files, writer)
        require_markdown(target)
        entry = choose_entry(list(target))
        page = render(target[entry].text(), path=entry)
        h1 = next((h.text for h in page.headings if h.level == 1 and h.text), "")
        wiki = Wiki(
            title=(
                title
                or _meta_title(page.meta)
                or h1
                or intake.folder_name
                or "Untitled wiki"
            )[:200].strip(),
            description=(page.description if description is None else description)[
                :2000
            ],
            owner=actor_or_none(owner),
            visibility=visibility,
        )
        with transaction.atomic():
            save_with_unique_slug(wiki, wiki.title)
            wiki_set_tags(wiki, clean_tags(page.tags[:20]) if tags is None else tags)
            change = tree_commit(
                wiki=wiki,
                actor=owner,
                target=target,
                action="created",
                message=message or f"Imported {len(target)} files",
            )
            search_index().index_wiki(wiki)
            activity_record(
                actor=owner,
                action=Activity.Action.WIKI_CREATED,
                wiki=wiki,
                details=change.summary(),
            )
            bump_content_generation()
    IMPORTED_FILES.inc(len(target))
    return wiki


def _default_visibility() -> str:
    """The site's default for new wikis (admins set it in Site settings)."""
    value = SiteSettings.current().default_visibility
    return value if value in Visibility.values else Visibility.INTERNAL


def _meta_title(meta: dict) -> str:
    value = meta.get("title")
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


def wiki_import_archive(
    *,
    owner,
    archive,
    name: str,
    title: str | None = None,
    description: str | None = None,
    tags=None,
    visibility: str | None = None,
) -> Wiki:
    """Create a wiki from a .zip (a path or a binary file object)."""
    with open_zip(archive, name=name) as (zf, size):
        files = read_zip(zf, archive_size=size)
        return wiki_import(
            owner=owner,
            files=files,
            title=title,
            description=description,
            tags=tags,
            visibility=visibility,
            source_name=name,
        )


class open_zip:  # noqa: N801 - used as a context manager
    """Open an archive, turning "not a zip" into a clear UploadError."""

    def __init__(self, archive, *, name: str) -> None:
        self.archive, self.name = archive, name

    def __enter__(self):
        try:
            if isinstance(self.archive, (str, Path)):
                size = os.path.getsize(self.archive)
            else:
                self.archive.seek(0, os.SEEK_END)
                size = self.archive.tell()
                self.archive.seek(0)
            self.zf = zipfile.ZipFile(self.archive)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise UploadError(
                f"“{self.name}” is not a valid zip archive.",
                rule="not-a-zip",
                files=[self.name],
            ) from exc
        return self.zf, size

    def __exit__(self, *exc) -> None:
        self.zf.close()


def wiki_update_files(
    *,
    actor,
    wiki: Wiki,
    files: list[IncomingFile],
    mode: str = "replace",
    message: str = "",
) -> WikiVersion:
    """Upload into a wiki: replace the whole tree, or add/overwrite ("merge")."""
    require_edit(actor, wiki)
    if mode not in ("replace", "merge"):
        raise UploadError("Mode must be “replace” or “merge”.", rule="mode")
    with staged_blobs(count_upload=True) as writer:
        intake = intake_files(list(files), strip_top=mode == "replace")
        staged = stage_incoming(intake.files, writer)
        with transaction.atomic():
            wiki = wiki_lock(wiki)
            target = _merged_target(wiki, staged) if mode == "merge" else staged
            require_markdown(target)
            change = tree_commit(
                wiki=wiki,
                actor=actor,
                target=target,
                action="updated",
                message=message or _upload_message(len(staged), mode),
            )
            activity_record(
                actor=actor,
                action=Activity.Action.WIKI_UPDATED,
                wiki=wiki,
                details={**change.summary(), "mode": mode},
            )
            bump_content_generation()
    IMPORTED_FILES.inc(len(staged))
    return change.version


def _upload_message(count: int, mode: str) -> str:
    noun = "file" if count == 1 else "files"
    if mode == "replace":
        return f"Replaced the wiki with {count} uploaded {noun}"
    return f"Uploaded {count} {noun}"


def _merged_target(wiki: Wiki, staged: dict[str, Staged]) -> dict[str, Staged]:
    """Current tree plus the uploaded files (same path ignoring case overwrites)."""
    current = {
        f.path: staged_from_current(f) for f in WikiFile.objects.filter(wiki=wiki)
    }
    refuse_lookalikes(staged, existing=current)
    folded = {p.casefold(): p for p in current}
    target = dict(current)
    for path, item in staged.items():
        existing = folded.get(path.casefold())
        if existing is not None and existing != path:
            target.pop(existing)
            item.path = existing
            path = existing
        target[path] = item
    _refuse_file_folder_clash(target)
    if len(target) > limits()["files"]:
        raise TooLarge(
            f"The wiki would have {len(target)} files; the limit is {limits()['files']}.",
            rule="file-count-limit",
        )
    return target


def _refuse_file_folder_clash(target: dict[str, Staged]) -> None:
    clash = file_folder_clash(list(target))
    if clash:
        raise UploadError(
            f"“{clash}” is both a file and a folder.",
            rule="duplicate-path",
            files=[clash],
        )
