"""Make a staged tree a wiki's current tree: render, link, index, version.

Runs inside the caller's transaction with the wiki row locked. Blobs are
already in storage (staging), so the commit only writes rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from deepwiki.content import RENDER_VERSION
from deepwiki.ops.metrics import RENDER_SECONDS
from deepwiki.wikis.blobs import blobs_confirm_reused
from deepwiki.wikis.includes import include_texts
from deepwiki.wikis.indexing import search_index
from deepwiki.wikis.linking import TreeLinks
from deepwiki.wikis.models import (
    Blob,
    FileKind,
    Link,
    VersionBlob,
    Wiki,
    WikiFile,
    WikiVersion,
)
from deepwiki.wikis.paths import choose_entry, natural_key, natural_sort_key
from deepwiki.wikis.progress import progress_report
from deepwiki.wikis.render_pool import RenderPool
from deepwiki.wikis.services.staging import Staged, staged_from_current
from deepwiki.wikis.statistics import statistics_refresh_after_commit

BATCH = 250
_RENDER_FIELDS = ["blob", "size", "content_type", "title", "html", "toc", "meta"]
_UPDATE_FIELDS = [*_RENDER_FIELDS, "render_version", "updated_at", "updated_by"]
_CURRENT_FIELDS = ("id", "path", "blob_id", "kind", "title", "size", "content_type")


@dataclass(slots=True)
class TreeChange:
    """What a commit did, for activity details and callers."""

    version: WikiVersion
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "version": self.version.number,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }


def actor_or_none(actor):
    """Return the user to store as author (None for anonymous/system)."""
    return (
        actor
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )


def tree_commit(
    *, wiki: Wiki, actor, target: dict[str, Staged], action: str, message: str = ""
) -> TreeChange:
    """Replace the current tree by `target` and record one new version."""
    commit = _Commit(wiki, actor_or_none(actor), target)
    commit.apply()
    version = _record_version(wiki, commit.author, target, action, message)
    written = len(commit.added) + len(commit.changed) + len(commit.removed)
    statistics_refresh_after_commit(rows=written)
    return TreeChange(version, commit.added, commit.changed, commit.removed)


class _Commit:
    """One tree replacement: diff against the current rows, write only what changed."""

    def __init__(self, wiki: Wiki, author, target: dict[str, Staged]) -> None:
        self.wiki, self.author, self.target = wiki, author, target
        self.now = timezone.now()
        self.current = {
            f.path: f for f in WikiFile.objects.filter(wiki=wiki).only(*_CURRENT_FIELDS)
        }
        self.added = [p for p in target if p not in self.current]
        self.removed = [p for p in self.current if p not in target]
        self.changed = [
            p
            for p, s in target.items()
            if p in self.current and self.current[p].blob_id != s.sha256
        ]
        self.touched = {*self.added, *self.changed}
        self.pending_links: list[tuple] = []
        self.titles_off = False

    def apply(self) -> None:
        self._ensure_blob_rows()
        affected = self._affected_sources()
        gone = [self.current[p].id for p in self.removed]
        if gone:
            search_index().remove_files(gone)
            WikiFile.objects.filter(id__in=gone).delete()
        titles = {
            p: (
                s.title
                if p in self.added or p in self.changed
                else self.current[p].title
            )
            for p, s in self.target.items()
            if s.kind == FileKind.MARKDOWN
        }
        self.links = TreeLinks(self.wiki.slug, list(self.target), titles)
        pages = [p for p in [*self.added, *self.changed] if self._is_page(p)]
        pages += sorted(p for p in affected if p in self.target and p not in pages)
        self._store_other_files()
        self._render_all(pages)
        if self.titles_off:  # a guessed title was wrong: redo pages with wiki-links
            self.links = TreeLinks(self.wiki.slug, list(self.target), self._titles())
            self._render_all(self._wikilink_sources())

    def _is_page(self, path: str) -> bool:
        return self.target[path].kind == FileKind.MARKDOWN

    def _ensure_blob_rows(self) -> None:
        fresh = {}
        for path in [*self.added, *self.changed]:
            s = self.target[path]
            fresh[s.sha256] = Blob(
                sha256=s.sha256, size=s.size, content_type=s.content_type
            )
        Blob.objects.bulk_create(
            list(fresh.values()), ignore_conflicts=True, batch_size=500
        )
        blobs_confirm_reused(
            self.target[p]
            for p in [*self.added, *self.changed]
            if self.target[p].reused
        )

    def _affected_sources(self) -> set[str]:
        """Unchanged pages whose links may resolve differently in the new tree."""
        if not (self.added or self.removed or self.changed):
            return set()
        touched = [self.current[p].id for p in [*self.removed, *self.changed]]
        sources = Link.objects.filter(wiki=self.wiki).filter(
            _broken_or_targets(touched, bool(self.added))
        )
        return set(sources.values_list("source__path", flat=True))

    def _titles(self) -> dict[str, str]:
        rows = WikiFile.objects.filter(wiki=self.wiki, kind=FileKind.MARKDOWN)
        return dict(rows.values_list("path", "title"))

    def _wikilink_sources(self) -> list[str]:
        rows = Link.objects.filter(wiki=self.wiki, kind="wikilink")
        return sorted(set(rows.values_list("source__path", flat=True)))

    def _render_all(self, paths: list[str]) -> None:
        self.rendered, self.to_render = 0, len(paths)
        batches = [paths[i : i + BATCH] for i in range(0, len(paths), BATCH)]
        with RenderPool(self.links, len(paths)) as pool:
            # Hand batch n+1 to the workers before storing batch n, so they
            # render while this process writes rows (at most two in flight).
            waiting = None
            for batch in batches:
                results = pool.map([self._job(p) for p in batch])
                if waiting is not None:
                    self._store_batch(*waiting)
                waiting = (batch, results)
            if waiting is not None:
                self._store_batch(*waiting)
        self._create_links()

    def _job(self, path: str) -> tuple:
        """(path, text, included texts): what a render worker needs for a page."""
        text = self.target[path].text()
        return path, text, include_texts(path, text, self._text_of)

    def _text_of(self, path: str) -> str | None:
        staged = self.target.get(path)
        if staged is None:
            return None
        try:
            return staged.text()
        except (UnicodeDecodeError, OSError):
            return None

    def _store_batch(self, paths: list[str], results) -> None:
        """Write the rows, links and index entries of one batch of rendered pages."""
        existing = {
            f.path: f
            for f in WikiFile.objects.filter(wiki=self.wiki, path__in=paths).only(
                "id", "path", "updated_at", "updated_by_id"
            )
        }
        new_rows, old_rows, rendered = [], [], []
        for path, result in zip(paths, results, strict=True):
            staged = self.target[path]
            row = existing.get(path) or WikiFile(wiki=self.wiki, path=path)
            page = self._apply_render(staged, row, *result)
            self.rendered += 1
            progress_report(
                "rendering", self.rendered, self.to_render, seconds=result[2]
            )
            (old_rows if row.pk else new_rows).append(row)
            rendered.append((row, page))
        if old_rows:
            Link.objects.filter(source_id__in=[r.pk for r in old_rows]).delete()
            WikiFile.objects.bulk_update(old_rows, _UPDATE_FIELDS, batch_size=BATCH)
        WikiFile.objects.bulk_create(new_rows, batch_size=BATCH)
        search_index().index_files(rendered)

    def _apply_render(self, staged: Staged, row: WikiFile, page, found, seconds):
        """Copy one rendered page into its row and remember its links."""
        RENDER_SECONDS.observe(seconds)
        if page.title != staged.title:
            self.titles_off = True
            staged.title = page.title
        self._fill(row, staged)
        row.kind = FileKind.MARKDOWN
        row.title, row.html, row.toc, row.meta = (
            page.title[:300],
            page.html,
            page.toc,
            page.meta,
        )
        row.render_version = RENDER_VERSION
        for link in page.links:
            if link.kind in ("relative", "wikilink", "include"):
                target_path = found.get((link.target, link.kind))
                self.pending_links.append(
                    (staged.path, link.target, link.kind, target_path)
                )
        return page

    def _fill(self, row: WikiFile, staged: Staged) -> None:
        row.blob_id = staged.sha256
        row.size, row.content_type = staged.size, staged.content_type
        row.sort_key = natural_key(staged.path)
        if staged.path in self.touched or row.pk is None:
            row.updated_at, row.updated_by = self.now, self.author

    def _store_other_files(self) -> None:
        """Create or update the rows of images and attachments (nothing to render)."""
        paths = [p for p in [*self.added, *self.changed] if not self._is_page(p)]
        for start in range(0, len(paths), BATCH):
            chunk = paths[start : start + BATCH]
            existing = {
                f.path: f
                for f in WikiFile.objects.filter(wiki=self.wiki, path__in=chunk)
            }
            new_rows, old_rows = [], []
            for path in chunk:
                staged = self.target[path]
                row = existing.get(path) or WikiFile(wiki=self.wiki, path=path)
                self._fill(row, staged)
                row.kind = staged.kind
                row.title = path.rsplit("/", 1)[-1][:300]
                row.render_version = RENDER_VERSION
                (old_rows if row.pk else new_rows).append(row)
            WikiFile.objects.bulk_update(old_rows, _UPDATE_FIELDS, batch_size=BATCH)
            WikiFile.objects.bulk_create(new_rows, batch_size=BATCH)
            search_index().index_files((row, None) for row in [*old_rows, *new_rows])

    def _create_links(self) -> None:
        if not self.pending_links:
            return
        ids = dict(WikiFile.objects.filter(wiki=self.wiki).values_list("path", "id"))
        rows = [
            Link(
                wiki=self.wiki,
                source_id=ids[source],
                target=target[:1024],
                target_file_id=ids.get(target_path) if target_path else None,
                kind=kind,
                broken=target_path is None,
            )
            for source, target, kind, target_path in self.pending_links
        ]
        Link.objects.bulk_create(rows, batch_size=1000)
        self.pending_links = []


def tree_rerender(*, wiki: Wiki, paths: list[str]) -> int:
    """Re-render current pages in place (no new version); return how many."""
    files = WikiFile.objects.filter(wiki=wiki).only(*_CURRENT_FIELDS)
    target = {f.path: staged_from_current(f) for f in files}
    commit = _Commit(wiki, None, target)
    commit.links = TreeLinks(wiki.slug, list(target), commit._titles())
    pages = [p for p in paths if p in target and commit._is_page(p)]
    commit._render_all(pages)
    return len(pages)


def _broken_or_targets(touched_ids: list[int], paths_added: bool):
    from django.db.models import Q

    cond = Q(target_file_id__in=touched_ids) if touched_ids else Q(pk__in=[])
    return cond | Q(broken=True) if paths_added else cond


def _record_version(
    wiki: Wiki, author, target: dict[str, Staged], action: str, message: str
) -> WikiVersion:
    """Write the version row, its blob references and the wiki's counters."""
    manifest = {p: target[p].sha256 for p in sorted(target, key=natural_sort_key)}
    version = WikiVersion.objects.create(
        wiki=wiki,
        number=wiki.current_version + 1,
        author=author,
        action=action[:20],
        message=(message or "")[:500],
        manifest=manifest,
        file_count=len(manifest),
        total_size=sum(s.size for s in target.values()),
    )
    VersionBlob.objects.bulk_create(
        [VersionBlob(version=version, blob_id=sha) for sha in set(manifest.values())],
        batch_size=1000,
    )
    wiki.current_version = version.number
    wiki.file_count = version.file_count
    wiki.total_size = version.total_size
    wiki.entry_path = choose_entry(list(target))
    wiki.updated_by = author
    wiki.save(
        update_fields=[
            "current_version",
            "file_count",
            "total_size",
            "entry_path",
            "updated_by",
            "updated_at",
        ]
    )
    return version
