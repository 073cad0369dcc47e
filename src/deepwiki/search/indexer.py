"""The write side of search: called by the wiki services inside their transaction.

Each call replaces the entries of one file or wiki, so the index always
describes exactly the current content and commits or rolls back with it.
"""

# ruff: noqa: S608 - SQL text is built from constants only; every value a
# user typed is a bound parameter (and query text passes query.py first).

from __future__ import annotations

import posixpath

from django.core.files.storage import storages
from django.db import connection, transaction

from deepwiki.content import render
from deepwiki.core.generation import bump_content_generation
from deepwiki.search.backends import get_backend
from deepwiki.search.models import EntryKind, SearchEntry, SearchTerm
from deepwiki.search.names import name_words, page_lang, title_words
from deepwiki.search.query import cjk_spaced, normalize, words_of
from deepwiki.wikis.blobs import blob_read_bytes
from deepwiki.wikis.includes import include_resolver, include_texts
from deepwiki.wikis.models import FileKind, Wiki

TERM_BATCH = 400
REBUILD_BATCH = 100
MAX_BODY_CHARS = 100_000  # keeps every tsvector far below PostgreSQL's 1 MB cap
_CONTROL = str.maketrans({"\x02": " ", "\x03": " ", "\x00": " "})


def index_files(items) -> None:
    """(Re)index many files at once: [(file, page or None), …] (faster for batches)."""
    items = list(items)
    if not items:
        return
    SearchEntry.objects.filter(file_id__in=[f.pk for f, _ in items]).delete()
    entries: list[SearchEntry] = []
    for file, page in items:
        entries.extend(
            _page_entries(file, page) if page is not None else [_file_entry(file)]
        )
    _write(entries)


def remove_files(file_ids: list[int]) -> None:
    """Drop the index entries of files that left the current tree."""
    ids = list(file_ids)
    if ids:
        SearchEntry.objects.filter(file_id__in=ids).delete()


def index_wiki(wiki) -> None:
    """(Re)index a wiki's title, description and tags."""
    SearchEntry.objects.filter(wiki_id=wiki.pk, kind=EntryKind.WIKI).delete()
    tags = sorted(t.name for t in wiki.tags.all())
    _write(
        [
            SearchEntry(
                wiki_id=wiki.pk,
                kind=EntryKind.WIKI,
                title=_clean(wiki.title),
                title_words=title_words(wiki.title),
                body=_clean(wiki.description)[:MAX_BODY_CHARS],
                keywords=" ".join(tags),
                display_title=wiki.title[:300],
                tags=_tag_text(tags),
                updated_at=wiki.updated_at,
            )
        ]
    )


def remove_wiki(wiki_id: int) -> None:
    """Drop every index entry of a deleted wiki."""
    SearchEntry.objects.filter(wiki_id=wiki_id).delete()


def _page_entries(file, page) -> list[SearchEntry]:
    """One "page" entry for the first section (it carries the title), then sections."""
    common = _common(file, tags=list(page.tags or []))
    title = _clean(page.title or file.title or posixpath.basename(file.path))
    common["display_title"] = title[:300]
    sections = page.sections or []
    common["lang"] = page_lang(
        file.path,
        meta=getattr(page, "meta", None),
        text=" ".join(s.text for s in sections[:3]),
    )
    file_words = _file_words(file.path)
    tags = " ".join(page.tags or [])
    entries = []
    for position, section in enumerate(sections):
        heading, anchor = _clean(section.heading), section.anchor
        first = position == 0
        if first and (not anchor or heading == title):
            heading, anchor = "", ""  # the page's own top: link to the page itself
        entries.append(
            SearchEntry(
                **common,
                kind=EntryKind.PAGE if first else EntryKind.SECTION,
                anchor=anchor[:255],
                title=title[:300] if first else "",
                title_words=title_words(title) if first else "",
                name_words=name_words(file.path) if first else "",
                heading=heading[:500],
                body=_clean(_prose(section))[:MAX_BODY_CHARS],
                keywords=f"{file_words} {tags}".strip() if first else "",
                context=_with_cjk(
                    _context(first, section, f"{title} {file_words} {tags}"),
                    f"{title if first else ''} {heading} {section.text}",
                ),
                position=position,
            )
        )
    return entries or [_file_entry(file)]


def _file_entry(file) -> SearchEntry:
    """Images and attachments are found by their name and folder."""
    name = posixpath.basename(file.path)
    common = _common(file, tags=[])
    common["display_title"] = (file.title or name)[:300]
    return SearchEntry(
        **common,
        kind=EntryKind.FILE,
        title=_clean(name)[:300],
        name_words=name_words(file.path),
        keywords=_file_words(file.path),
    )


def _common(file, *, tags: list[str]) -> dict:
    ext = posixpath.splitext(file.path)[1].lstrip(".").lower()
    return {
        "wiki_id": file.wiki_id,
        "file_id": file.pk,
        "path": file.path,
        "file_type": ext[:20],
        "file_kind": file.kind,
        "tags": _tag_text(tags),
        "updated_at": file.updated_at,
    }


def _write(entries: list[SearchEntry]) -> None:
    """Insert rows, let the engine add its index data, remember the vocabulary."""
    with transaction.atomic():
        created = SearchEntry.objects.bulk_create(entries, batch_size=500)
        get_backend().after_insert([e.pk for e in created])
        _add_terms(entries)


def _add_terms(entries: list[SearchEntry]) -> None:
    """Insert new words in one statement (the ORM's per-row cost dominated ingest)."""
    words: set[str] = set()
    for e in entries:
        for text in (e.title, e.heading, e.body, e.keywords, e.context):
            words.update(words_of(text))
    fresh = sorted(w for w in words if 3 <= len(w) <= 40 and not w.isdigit())
    with connection.cursor() as cursor:
        for start in range(0, len(fresh), TERM_BATCH):
            chunk = fresh[start : start + TERM_BATCH]
            cursor.execute(
                "INSERT INTO search_searchterm (word) VALUES "
                + ",".join(["(%s)"] * len(chunk))
                + " ON CONFLICT DO NOTHING",
                chunk,
            )


def _file_words(path: str) -> str:
    """Make a file's path searchable as words: folders, name and extension."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return f"{path.replace('/', ' ')} {stem}"


def _prose(section) -> str:
    """The section's prose: what snippets are cut from (no code, no Mermaid)."""
    prose = getattr(section, "prose", None)
    return section.text if prose is None else prose


def _context(first: bool, section, names: str) -> str:
    """Low-weight text: where a section sits, and its code blocks (searchable)."""
    code = _clean(getattr(section, "code", "") or "")[:MAX_BODY_CHARS]
    return f"{'' if first else names.strip()}\n{code}".strip()


def _with_cjk(context: str, text: str) -> str:
    """Add the CJK characters of `text`, one per word, so that any run matches."""
    spaced = cjk_spaced(text[:MAX_BODY_CHARS])
    return f"{context}\n{spaced}".strip() if spaced else context


def _tag_text(tags: list[str]) -> str:
    names = [normalize(t).strip() for t in tags if t.strip()]
    return "|" + "|".join(names) + "|" if names else ""


def _clean(text: str) -> str:
    return (text or "").translate(_CONTROL)


def rebuild(*, wiki=None) -> dict:
    """Rebuild the index of one wiki (or all) from stored sources; return counts."""

    wikis = Wiki.objects.all() if wiki is None else Wiki.objects.filter(pk=wiki.pk)
    counts = {"wikis": 0, "files": 0, "entries": 0}
    if wiki is None:
        # Each wiki is replaced in its own transaction below, so searches keep
        # finding every wiki while a rebuild runs; only the vocabulary (typo
        # suggestions) starts afresh, so that words nobody uses any more go.
        with transaction.atomic():
            SearchEntry.objects.exclude(wiki_id__in=wikis.values("pk")).delete()
            SearchTerm.objects.all().delete()
            get_backend().rebuild_structures()
    for item in wikis.order_by("pk").iterator():
        with transaction.atomic():
            counts["files"] += _rebuild_wiki(item)
        counts["wikis"] += 1
    scope = SearchEntry.objects.all() if wiki is None else wiki.search_entries.all()
    counts["entries"] = scope.count()
    bump_content_generation()  # cached results must not outlive the old index
    return counts


def _rebuild_wiki(wiki) -> int:
    """Re-render every current file of a wiki from its blob and index it."""

    remove_wiki(wiki.pk)
    index_wiki(wiki)
    files = wiki.files.select_related("blob").defer("html", "toc").order_by("pk")
    count, batch = 0, []
    for file in files.iterator(chunk_size=200):
        batch.append(
            (file, _render_file(file) if file.kind == FileKind.MARKDOWN else None)
        )
        if len(batch) >= REBUILD_BATCH:
            index_files(batch)
            count, batch = count + len(batch), []
    index_files(batch)
    return count + len(batch)


def _render_file(file):
    """Render a stored Markdown file again (sections come from the source)."""
    with storages["default"].open(file.blob.storage_name, "rb") as handle:
        source = handle.read().decode("utf-8", errors="replace")
    # mdBook includes: index the included text, as a normal write does.
    texts = include_texts(file.path, source, lambda path: _sibling_text(file, path))
    return render(
        source,
        path=file.path,
        resolve_include=include_resolver(file.path, texts, {}),
    )


def _sibling_text(file, path: str) -> str | None:
    """Read another current file of the same wiki as text (None if absent/binary)."""

    row = type(file).objects.filter(wiki_id=file.wiki_id, path=path).first()
    try:
        return blob_read_bytes(row.blob_id).decode("utf-8-sig") if row else None
    except (UnicodeDecodeError, OSError):
        return None
