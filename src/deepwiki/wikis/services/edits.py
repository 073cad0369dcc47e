"""Change single files of a wiki, restore versions, preview edits."""

from __future__ import annotations

import difflib

from django.db import transaction

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.content import render
from deepwiki.core.errors import NotFound
from deepwiki.core.generation import bump_content_generation
from deepwiki.wikis.blobs import blob_read_bytes
from deepwiki.wikis.errors import Conflict, InvalidPath, TooLarge, UploadError
from deepwiki.wikis.filetypes import classify
from deepwiki.wikis.includes import include_resolver, include_texts
from deepwiki.wikis.linking import TreeLinks
from deepwiki.wikis.models import Blob, FileKind, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.paths import file_folder_clash, refuse_lookalikes
from deepwiki.wikis.permissions import require_edit
from deepwiki.wikis.services.common import clean_user_path, staged_blobs, wiki_lock
from deepwiki.wikis.services.staging import (
    Staged,
    require_markdown,
    stage_bytes,
    staged_from_blob,
    staged_from_current,
)
from deepwiki.wikis.services.tree import TreeChange, tree_commit

MAX_EDIT_CHARS = 10 * 1024 * 1024


def _locked_tree(wiki: Wiki) -> tuple[Wiki, dict[str, Staged]]:
    """Lock the wiki row and return it with its current tree."""
    wiki = wiki_lock(wiki)
    files = WikiFile.objects.filter(wiki=wiki).only(
        "id", "path", "blob_id", "kind", "title", "size", "content_type"
    )
    return wiki, {f.path: staged_from_current(f) for f in files}


def _find(tree: dict[str, Staged], path: str) -> str | None:
    if path in tree:
        return path
    return next((p for p in tree if p.casefold() == path.casefold()), None)


def _commit(*, wiki, actor, target, action, message, activity, path, details=None):
    change: TreeChange = tree_commit(
        wiki=wiki, actor=actor, target=target, action=action, message=message
    )
    activity_record(
        actor=actor,
        action=activity,
        wiki=wiki,
        path=path,
        details={**change.summary(), **(details or {})},
    )
    bump_content_generation()
    return change.version


def file_save(
    *,
    actor,
    wiki: Wiki,
    path: str,
    content: str,
    base_version: int | None = None,
    message: str = "",
) -> WikiVersion:
    """Create or edit one text file; refuse (Conflict) if it changed since base_version."""
    require_edit(actor, wiki)
    path = clean_user_path(path)
    if len(content) > MAX_EDIT_CHARS:
        raise TooLarge("The page is too large to save.", rule="file-size-limit")
    data = content.encode("utf-8")
    with staged_blobs() as writer:
        staged = stage_bytes(path, data, writer)
        with transaction.atomic():
            wiki, tree = _locked_tree(wiki)
            existing = _find(tree, path)
            if existing is not None:
                staged.path = path = existing
            _check_base(wiki, path, tree.get(path), content, base_version)
            if existing is not None and tree[existing].sha256 == staged.sha256:
                return WikiVersion.objects.get(wiki=wiki, number=wiki.current_version)
            target = {**tree, path: staged}
            _refuse_clash(target, path)
            verb = "Edited" if existing else "Created"
            return _commit(
                wiki=wiki,
                actor=actor,
                target=target,
                action="edited",
                message=message or f"{verb} {path}",
                activity=Activity.Action.FILE_EDITED,
                path=path,
                details={"created": existing is None},
            )


def _check_base(wiki, path, current: Staged | None, content: str, base_version) -> None:
    """Raise Conflict with a diff when the file moved on since the editor's version."""
    if base_version is None or base_version == wiki.current_version:
        return
    base = WikiVersion.objects.filter(wiki=wiki, number=base_version).first()
    base_sha = base.manifest.get(path) if base is not None else None
    current_sha = current.sha256 if current is not None else None
    if base is not None and base_sha == current_sha:
        return
    theirs = (
        blob_read_bytes(current_sha).decode("utf-8-sig", "replace")
        if current_sha
        else ""
    )
    diff = "".join(
        difflib.unified_diff(
            theirs.splitlines(keepends=True),
            content.splitlines(keepends=True),
            fromfile=f"{path} (current, version {wiki.current_version})",
            tofile=f"{path} (your edit, based on version {base_version})",
        )
    )
    raise Conflict(
        f"“{path}” was changed by someone else since version {base_version}. "
        "Merge your edit into the current text and save again.",
        details={
            "path": [path],
            "current_version": [str(wiki.current_version)],
            "diff": [diff],
        },
    )


def _refuse_clash(target: dict[str, Staged], path: str) -> None:
    try:
        refuse_lookalikes([path], existing=(p for p in target if p != path))
    except UploadError as exc:
        raise InvalidPath(exc.message, details={"path": [exc.message]}) from exc
    clash = file_folder_clash(list(target))
    if clash:
        message = f"“{clash}” would be both a file and a folder."
        raise InvalidPath(message, details={"path": [message]})


def file_move(
    *, actor, wiki: Wiki, old_path: str, new_path: str, message: str = ""
) -> WikiVersion:
    """Rename or move one file (links to it are re-resolved)."""
    require_edit(actor, wiki)
    new_path = clean_user_path(new_path, field="to")
    with transaction.atomic():
        wiki, tree = _locked_tree(wiki)
        old = _find(tree, str(old_path).strip("/"))
        if old is None:
            raise NotFound(f"“{old_path}” is not a file of this wiki.")
        taken = _find(tree, new_path)
        if taken is not None and taken != old:
            raise Conflict(
                f"“{taken}” already exists; choose another name.",
                details={"to": [f"“{taken}” already exists."]},
            )
        moved = tree.pop(old)
        data = blob_read_bytes(moved.sha256)
        try:
            ftype = classify(new_path, data)
        except UploadError as exc:
            raise InvalidPath(exc.message, details={"to": [exc.message]}) from exc
        tree[new_path] = Staged(
            new_path,
            moved.sha256,
            moved.size,
            ftype.kind,
            ftype.content_type,
            moved.title,
        )
        _refuse_clash(tree, new_path)
        require_markdown(tree)
        return _commit(
            wiki=wiki,
            actor=actor,
            target=tree,
            action="moved",
            message=message or f"Moved {old} to {new_path}",
            activity=Activity.Action.FILE_MOVED,
            path=new_path,
            details={"from": old, "to": new_path},
        )


def file_delete(*, actor, wiki: Wiki, path: str, message: str = "") -> WikiVersion:
    """Delete one file (a wiki keeps at least one Markdown page)."""
    require_edit(actor, wiki)
    with transaction.atomic():
        wiki, tree = _locked_tree(wiki)
        found = _find(tree, str(path).strip("/"))
        if found is None:
            raise NotFound(f"“{path}” is not a file of this wiki.")
        tree.pop(found)
        if not any(s.kind == FileKind.MARKDOWN for s in tree.values()):
            raise UploadError(
                "This is the last page of the wiki; delete the wiki instead.",
                rule="no-markdown",
                files=[found],
            )
        return _commit(
            wiki=wiki,
            actor=actor,
            target=tree,
            action="deleted",
            message=message or f"Deleted {found}",
            activity=Activity.Action.FILE_DELETED,
            path=found,
        )


def version_restore(
    *, actor, wiki: Wiki, number: int, message: str = ""
) -> WikiVersion:
    """Make an old version current again as a new version (history stays)."""
    require_edit(actor, wiki)
    with transaction.atomic():
        wiki, tree = _locked_tree(wiki)
        old = WikiVersion.objects.filter(wiki=wiki, number=number).first()
        if old is None:
            raise NotFound(f"Version {number} does not exist.")
        blobs = Blob.objects.in_bulk(list(set(old.manifest.values())))
        target = {}
        for path, sha in old.manifest.items():
            if path in tree and tree[path].sha256 == sha:
                target[path] = tree[path]
            else:
                target[path] = staged_from_blob(path, blobs[sha])
        return _commit(
            wiki=wiki,
            actor=actor,
            target=target,
            action="restored",
            message=message or f"Restored version {number}",
            activity=Activity.Action.WIKI_RESTORED,
            path="",
            details={"restored_from": number},
        )


def render_preview(*, wiki: Wiki, path: str, content: str) -> str:
    """Render unsaved Markdown with the wiki's links, exactly as saving would."""
    return render_page(wiki=wiki, path=path, content=content).html


def render_page(*, wiki: Wiki, path: str, content: str, paths=None):
    """Render Markdown against a tree (default: the current one); a RenderedPage.

    `paths` gives another tree, e.g. an old version's manifest, so that its
    links resolve as they did then.
    """
    titles = dict(
        WikiFile.objects.filter(wiki=wiki, kind=FileKind.MARKDOWN).values_list(
            "path", "title"
        )
    )
    if paths is None:
        paths = list(WikiFile.objects.filter(wiki=wiki).values_list("path", flat=True))
    else:
        paths = list(paths)
        titles = {p: t for p, t in titles.items() if p in set(paths)}
    path = str(path).strip("/") or "preview.md"
    if path not in paths:
        paths.append(path)
    resolve, found = TreeLinks(wiki.slug, paths, titles).resolver(path)
    text = str(content)[:MAX_EDIT_CHARS]
    texts = include_texts(path, text, _current_text_reader(wiki, set(paths)))
    return render(
        text,
        path=path,
        resolve_link=resolve,
        resolve_include=include_resolver(path, texts, found),
    )


def _current_text_reader(wiki: Wiki, paths: set[str]):
    """Read a file of the wiki's current tree as text (None if absent/binary)."""

    def read(path: str) -> str | None:
        if path not in paths:
            return None
        row = WikiFile.objects.filter(wiki=wiki, path=path).only("blob_id").first()
        try:
            return blob_read_bytes(row.blob_id).decode("utf-8-sig") if row else None
        except (UnicodeDecodeError, OSError):
            return None

    return read
