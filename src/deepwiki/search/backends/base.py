"""The protocol both search engines implement, and the SQL they share."""

# ruff: noqa: S608 - SQL text is built from constants only; every value a
# user typed is a bound parameter (and query text passes query.py first).

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.db import connection

from deepwiki.search.query import Query
from deepwiki.wikis.models import Tag, Wiki

SENTINEL_START = "\x02"
SENTINEL_STOP = "\x03"
# Entry kinds that suggestions offer: wiki titles, page titles, headings.
SUGGEST_KINDS = ("wiki", "page", "section")
# Past this many matches, ranking looks at a bounded candidate set: up to
# RANK_WINDOW title/heading matches plus RANK_WINDOW other matches (newest
# first). Below it, every match is ranked exactly.
RANK_WINDOW = 500
# Counting stops here; `RawPage.capped` says the real total is larger.
COUNT_CAP = 500
# Suggestions look at this many of the newest matches per kind, then sort.
SUGGEST_WINDOW = 200
KIND_RANK = {"wiki": 0, "page": 1, "section": 2}
KIND_FILTERS = {"pages": "('page', 'section')", "files": "('file')"}
# Facet counts look at this many matches (a bounded sample on huge sets).
FACET_WINDOW = 1000


@dataclass(frozen=True, slots=True)
class Scope:
    """Where to look: visible wiki ids (already permission-filtered) + filters."""

    wiki_ids: tuple[int, ...]
    tag: str = ""
    file_type: str = ""
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    path_prefix: str = ""
    lang: str = ""
    kind: str = ""  # "pages" or "files"


@dataclass(slots=True)
class RawHit:
    """One matching entry: its id, score and a raw-text snippet with sentinel marks."""

    entry_id: int
    score: float
    snippet: str = ""


@dataclass(slots=True)
class RawPage:
    hits: list[RawHit] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # total stopped at COUNT_CAP


@dataclass(frozen=True, slots=True)
class RawSuggestion:
    kind: str
    text: str
    wiki_slug: str
    wiki_title: str
    path: str
    anchor: str


class SearchBackend(Protocol):
    """What the selectors and the indexer need from an engine."""

    vendor: str

    def problems(self) -> list[str]:
        """Describe what is missing for this engine to work (empty when fine)."""

    def after_insert(self, entry_ids: list[int]) -> None:
        """Bring engine-side index data up to date for freshly written rows."""

    def search(self, query: Query, *, scope: Scope, limit: int, offset: int) -> RawPage:
        """Return one page of ranked hits and the total number of matches."""

    def suggest(self, query: Query, *, scope: Scope, limit: int) -> list[RawSuggestion]:
        """Return titles and headings whose words start with the typed words."""

    def facet_rows(self, query: Query, *, scope: Scope) -> list[tuple[str, str, str]]:
        """Return (path, kind, lang) of up to FACET_WINDOW matching entries."""

    def similar_terms(self, word: str, *, limit: int) -> list[str]:
        """Return indexed words that look like `word` (typo candidates)."""

    def infix_terms(self, fragment: str, *, limit: int) -> list[str]:
        """Return indexed words that contain `fragment`."""

    def rebuild_structures(self) -> None:
        """Recreate engine-side structures (after a failed or partial setup)."""


def scope_sql(scope: Scope, *, alias: str = "e") -> tuple[str, list]:
    """Build the WHERE conditions for a scope: visibility first, then filters."""
    vendor = connection.vendor
    params: list = []
    # "+ 0" / unary "+" make the wiki filter unusable as an index: the text
    # index must drive every search. Starting from a wiki's entries and testing
    # the match row by row took seconds on a large wiki.
    if vendor == "postgresql":
        parts = [f"({alias}.wiki_id + 0) = ANY(%s)"]
        params.append(list(scope.wiki_ids))
    else:
        marks = ",".join(["%s"] * len(scope.wiki_ids)) or "NULL"
        parts = [f"+{alias}.wiki_id IN ({marks})"]
        params.extend(scope.wiki_ids)
    if scope.tag:
        parts.append(_tag_sql(alias, vendor))
        params.extend([f"|{scope.tag}|", scope.tag])
    if scope.file_type:
        parts.append(f"({alias}.file_kind = %s OR {alias}.file_type = %s)")
        params.extend([scope.file_type, scope.file_type])
    if scope.path_prefix:
        escaped = (
            scope.path_prefix.replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_")
        )
        parts.append(f"{alias}.path LIKE %s ESCAPE '\\'")
        params.append(escaped + "%")
    if scope.lang:
        parts.append(f"({alias}.lang = %s OR {alias}.lang LIKE %s)")
        params.extend([scope.lang, scope.lang + "-%"])
    if scope.kind in KIND_FILTERS:
        parts.append(f"{alias}.kind IN {KIND_FILTERS[scope.kind]}")
    ops = connection.ops
    if scope.updated_from is not None:
        parts.append(f"{alias}.updated_at >= %s")
        params.append(ops.adapt_datetimefield_value(scope.updated_from))
    if scope.updated_to is not None:
        parts.append(f"{alias}.updated_at < %s")
        params.append(ops.adapt_datetimefield_value(scope.updated_to))
    return " AND ".join(parts), params


def _tag_sql(alias: str, vendor: str) -> str:
    """Match a page's own front-matter tags or its wiki's tags (lower-case)."""

    through, tags = Wiki.tags.through._meta.db_table, Tag._meta.db_table
    contains = (
        "strpos({0}.tags, %s) > 0"
        if vendor == "postgresql"
        else "instr({0}.tags, %s) > 0"
    )
    return (
        "(" + contains.format(alias) + f" OR {alias}.wiki_id IN (SELECT wt.wiki_id FROM"
        f" {through} wt JOIN {tags} t ON t.id = wt.tag_id WHERE lower(t.name) = %s))"
    )


# Ranking rules on top of the engine's text score, as factors far apart enough
# to act as tiers: a page or wiki whose title or file name is exactly the
# query wins; images and attachments, found by their name only, come after
# every page. Takes the exact-name key (names.exact_key) twice.
RANK_TIER = (
    "(CASE WHEN e.kind = 'file' THEN 0.000001"
    " WHEN e.title_words = %s OR e.name_words = %s THEN 1000000.0 ELSE 1.0 END)"
)


def exact_ids_sql(where: str) -> str:
    """Select the entries named exactly like the query (two index look-ups)."""
    return (
        "SELECT e.id FROM search_searchentry e"
        " WHERE (e.title_words = %s OR e.name_words = %s)"
        f" AND e.kind IN ('wiki', 'page') AND {where}"
        " ORDER BY length(e.path), e.id"
        " LIMIT 20"
    )


def recency_factor(age_days_sql: str) -> str:
    """A mild boost: up to +10 % for a fresh edit, fading over a few months."""
    return f"(1.0 + 0.1 / (1.0 + ({age_days_sql}) / 30.0))"


def engine_migrated() -> bool:
    """Tell whether the engine-specific migration has run on this database."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    return recorder.migration_qs.filter(
        app="search", name="0002_engine_indexes"
    ).exists()
