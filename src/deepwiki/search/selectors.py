"""The read side of search: ranked hits and suggestions a user is allowed to see."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.safestring import SafeString

from deepwiki.core.generation import content_generation
from deepwiki.search import spelling
from deepwiki.search.backends import get_backend
from deepwiki.search.facets import Facets, facets_of
from deepwiki.search.models import SearchEntry
from deepwiki.search.operators import split_operators
from deepwiki.search.query import MAX_QUERY_CHARS, Query, parse, words_of
from deepwiki.search.scope import (
    SearchFilters,
    build_scope,
    visible_key,
    visible_wiki_ids,
)
from deepwiki.search.snippets import marked_snippet, plain_snippet
from deepwiki.wikis.linking import page_url

MIN_QUERY_CHARS = 2
MAX_LIMIT = 50
MAX_OFFSET = 10_000
CACHE_SECONDS = 300


@dataclass(slots=True)
class SearchHit:
    wiki_slug: str
    wiki_title: str
    path: str
    file_title: str
    anchor: str
    heading: str
    kind: str
    snippet: SafeString
    score: float
    url: str


@dataclass(slots=True)
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    total_capped: bool = False  # more than `total` matches exist
    limit: int = 20
    offset: int = 0
    corrected: str = ""  # "did you mean": the query that produced these hits
    partial: bool = False  # found through partial-word (infix) matches
    facets: Facets | None = None  # folders, kinds, languages (when asked for)


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    type: str
    url: str
    wiki: str


def clean_query(query: str | None) -> str:
    """Collapse whitespace, drop NUL bytes, cap the length (logs and keys use it)."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_CHARS]


def entry_url(slug: str, path: str, anchor: str) -> str:
    """Link to the exact heading: /wikis/<slug>/<path>#<anchor>."""
    return page_url(slug, path, anchor)


def search_results(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
) -> SearchResults:
    """Search every wiki `user` may read; the permission filter is in the query.

    `path:`, `lang:` and `kind:` in the query become filters; `facets` adds
    counts per folder, kind and language.
    """
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET))
    text = clean_query(query)
    results = SearchResults(query=text, limit=limit, offset=offset)
    if len(text) < MIN_QUERY_CHARS:
        return results
    words, filters = split_operators(text, filters or SearchFilters())
    wiki_ids = visible_wiki_ids(user)
    key = _cache_key(
        "search", text, wiki_ids, f"{filters.key()}|{facets}", limit, offset
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    parsed = parse(words)
    if not parsed.is_empty:
        scope = build_scope(wiki_ids, filters)
        _run_search(results, parsed, scope)
        if facets and results.total:
            rows = get_backend().facet_rows(parsed, scope=scope)
            results.facets = facets_of(rows, path_prefix=filters.path)
    cache.set(key, results, CACHE_SECONDS)
    return results


def _run_search(results: SearchResults, parsed: Query, scope) -> None:
    """Full-text first; when nothing matches, try partial words, then typo fixes."""
    backend = get_backend()
    page = backend.search(
        parsed, scope=scope, limit=results.limit, offset=results.offset
    )
    if page.total == 0:
        infix = spelling.expand_infix(parsed, backend=backend)
        if infix is not None:
            page = backend.search(
                infix, scope=scope, limit=results.limit, offset=results.offset
            )
            results.partial = page.total > 0
    if page.total == 0:
        corrected = spelling.correct(parsed, backend=backend)
        if corrected is not None:
            page = backend.search(
                corrected, scope=scope, limit=results.limit, offset=results.offset
            )
            results.corrected = corrected.text() if page.total else ""
    results.total, results.total_capped = page.total, page.capped
    results.hits = _hits(page.hits)


def _hits(raw_hits) -> list[SearchHit]:
    """Attach wiki, file and section details to the engine's ranked ids."""
    ids = [h.entry_id for h in raw_hits]
    entries = {
        e.pk: e
        for e in SearchEntry.objects.filter(pk__in=ids)
        .select_related("wiki")
        .only(
            "kind",
            "path",
            "anchor",
            "heading",
            "body",
            "display_title",
            "wiki__slug",
            "wiki__title",
        )
    }
    hits = []
    for raw in raw_hits:
        e = entries.get(raw.entry_id)
        if e is None:
            continue
        snippet = (
            marked_snippet(raw.snippet)
            if raw.snippet.strip()
            else plain_snippet(e.body)
        )
        hits.append(
            SearchHit(
                wiki_slug=e.wiki.slug,
                wiki_title=e.wiki.title,
                path=e.path,
                file_title=e.display_title if e.kind != "wiki" else "",
                anchor=e.anchor,
                heading=e.heading,
                kind=e.kind,
                snippet=snippet,
                score=float(f"{raw.score:.6g}"),
                url=entry_url(e.wiki.slug, e.path, e.anchor),
            )
        )
    return hits


def search_suggestions(*, user, query: str, limit: int = 8) -> list[Suggestion]:
    """Suggest wiki titles, page titles and headings that start with the typed words."""
    text = clean_query(query)
    limit = max(1, min(limit, 20))
    if len(text) < MIN_QUERY_CHARS:
        return []
    wiki_ids = visible_wiki_ids(user)
    key = _cache_key("suggest", text, wiki_ids, "", limit, 0)
    cached = cache.get(key)
    if cached is not None:
        return cached
    parsed = parse(text)
    positive = Query(parsed.positive)
    suggestions: list[Suggestion] = []
    if not positive.is_empty:
        scope = build_scope(wiki_ids, SearchFilters())
        suggestions = _suggest(positive, scope, limit)
        if len(suggestions) < limit:
            corrected = spelling.correct(positive, backend=get_backend())
            if corrected is not None:
                suggestions = _merge(
                    suggestions, _suggest(corrected, scope, limit), limit
                )
    cache.set(key, suggestions, CACHE_SECONDS)
    return suggestions


def _suggest(parsed: Query, scope, limit: int) -> list[Suggestion]:
    rows = get_backend().suggest(parsed, scope=scope, limit=limit * 5)
    wanted = parsed.words()
    found: list[Suggestion] = []
    for row in rows:
        words = words_of(row.text)
        if not all(any(w.startswith(q) for w in words) for q in wanted):
            continue  # the engine matched a stem or another column: not what was typed
        path = "" if row.kind == "wiki" else row.path
        found.append(
            Suggestion(
                text=row.text,
                type="heading" if row.kind == "section" else row.kind,
                url=entry_url(row.wiki_slug, path, row.anchor),
                wiki=row.wiki_title,
            )
        )
    return _merge([], found, limit)


def _merge(
    first: list[Suggestion], more: list[Suggestion], limit: int
) -> list[Suggestion]:
    """Keep the first of each (text, url), up to `limit`."""
    seen = {(s.text.casefold(), s.url) for s in first}
    merged = list(first)
    for s in more:
        if len(merged) >= limit:
            break
        if (s.text.casefold(), s.url) not in seen:
            seen.add((s.text.casefold(), s.url))
            merged.append(s)
    return merged


def _cache_key(
    kind: str, text: str, wiki_ids, filters: str, limit: int, offset: int
) -> str:
    raw = "\x1f".join(
        [
            kind,
            str(content_generation()),
            visible_key(wiki_ids),
            text,
            filters,
            str(limit),
            str(offset),
        ]
    )
    return "search:" + hashlib.sha256(raw.encode()).hexdigest()
