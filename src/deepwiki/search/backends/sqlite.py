"""SQLite engine: FTS5 (porter + unicode61) with bm25 column weights and snippet()."""

# ruff: noqa: S608 - SQL text is built from constants only; every value a
# user typed is a bound parameter (and query text passes query.py first).

from __future__ import annotations

from django.db import connection

from deepwiki.search.backends.base import (
    COUNT_CAP,
    FACET_WINDOW,
    KIND_RANK,
    RANK_TIER,
    RANK_WINDOW,
    SENTINEL_START,
    SENTINEL_STOP,
    SUGGEST_WINDOW,
    RawHit,
    RawPage,
    RawSuggestion,
    Scope,
    engine_migrated,
    exact_ids_sql,
    recency_factor,
    scope_sql,
)
from deepwiki.search.names import NO_KEY, exact_key
from deepwiki.search.query import Query, to_fts5

# Column weights for title, heading, body, keywords (tags, file name), context.
BM25 = "bm25(search_fts, 10.0, 5.0, 1.0, 4.0, 0.5)"
AGE_DAYS = "julianday('now') - julianday(e.updated_at)"
SNIPPET_TOKENS = 24
PREFIX_EXPANSIONS = 30
# CROSS JOIN fixes the join order: FTS5 finds the matching rowids, then each
# entry is read by primary key. With a plain JOIN, SQLite may start from the
# wiki_id index and evaluate MATCH once per entry of the wiki (seconds on a
# large wiki).
FTS_FIRST = "FROM search_fts CROSS JOIN search_searchentry e ON e.id = search_fts.rowid"


class SqliteBackend:
    vendor = "sqlite"

    def problems(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            if not any("FTS5" in row[0] for row in cursor.fetchall()):
                return [
                    "This SQLite library was built without FTS5, which search needs."
                    " Use a Python build with a modern SQLite (3.35 or newer with"
                    " FTS5), or PostgreSQL."
                ]
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN"
                " ('search_fts', 'search_term_fts')"
            )
            if cursor.fetchone()[0] != 2 and engine_migrated():
                return [
                    "The search tables are missing: run `deepwiki migrate`, then"
                    " `deepwiki reindex`."
                ]
            if engine_migrated() and _missing_triggers(cursor):
                return [
                    "The search index no longer follows page changes (its SQLite"
                    " triggers are missing, which happens when a migration copies"
                    " the search table). Run `deepwiki reindex` to restore them."
                ]
        return []

    def after_insert(self, entry_ids: list[int]) -> None:
        """Nothing to do: triggers keep the FTS5 tables in sync."""

    def search(self, query: Query, *, scope: Scope, limit: int, offset: int) -> RawPage:
        match = to_fts5(query)
        if not match or not scope.wiki_ids:
            return RawPage()
        where, params = scope_sql(scope)
        base = f"{FTS_FIRST} WHERE search_fts MATCH %s AND {where}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s)",
                [match, *params, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
            page = RawPage(total=min(total, COUNT_CAP), capped=total > COUNT_CAP)
            if total == 0 or offset >= total:
                return page
            if total > RANK_WINDOW:
                rows = self._windowed(cursor, query, where, params, limit, offset)
            else:
                score = f"(-{BM25}) * {recency_factor(AGE_DAYS)} * {RANK_TIER}"
                cursor.execute(
                    f"SELECT e.id, {score} AS score {base}"
                    " ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                    [*[exact_key(query)] * 2, match, *params, limit, offset],
                )
                rows = cursor.fetchall()
            ids = [r[0] for r in rows]
            snippets = self._snippets(cursor, _without_prefixes(cursor, query), ids)
        page.hits = [RawHit(r[0], float(r[1]), snippets.get(r[0], "")) for r in rows]
        return page

    def _windowed(self, cursor, query: Query, where: str, params, limit, offset):
        """Order a huge match set without scoring it all (bm25 is per-row costly).

        Exact title or file-name matches come first, then title/heading/file-name
        matches, then the others; within each, the most recently written
        entries first. The score is the rank position, since no bm25 was
        computed.
        """
        base = f"{FTS_FIRST} WHERE search_fts MATCH %s AND {where}"
        ids: dict[int, None] = {}
        key = exact_key(query)
        if key != NO_KEY:
            cursor.execute(exact_ids_sql(where), [key, key, *params])
            ids.update((row[0], None) for row in cursor.fetchall())
        files: dict[int, None] = {}  # found by name only: after every page
        for match in (to_fts5(query, columns="title heading keywords"), to_fts5(query)):
            cursor.execute(
                f"SELECT e.id, e.kind {base} ORDER BY search_fts.rowid DESC LIMIT %s",
                [match, *params, RANK_WINDOW],
            )
            for entry_id, kind in cursor.fetchall():
                (files if kind == "file" else ids)[entry_id] = None
        ordered = list({**ids, **files})[offset : offset + limit]
        return [
            (entry_id, 1.0 / (offset + i + 2)) for i, entry_id in enumerate(ordered)
        ]

    def _snippets(self, cursor, match: str, ids: list[int]) -> dict[int, str]:
        """Cut snippets for one page of hits only (snippet() is the costly part)."""
        if not ids:
            return {}
        marks = ",".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT rowid, snippet(search_fts, 2, %s, %s, '…', %s) FROM search_fts"
            f" WHERE search_fts MATCH %s AND rowid IN ({marks})",
            [SENTINEL_START, SENTINEL_STOP, SNIPPET_TOKENS, match, *ids],
        )
        return {row[0]: row[1] or "" for row in cursor.fetchall()}

    def suggest(self, query: Query, *, scope: Scope, limit: int) -> list[RawSuggestion]:
        if query.is_empty or not scope.wiki_ids:
            return []
        where, params = scope_sql(scope)
        found = []
        with connection.cursor() as cursor:
            for column, kinds in (
                ("title", "'wiki', 'page'"),
                ("heading", "'section'"),
            ):
                cursor.execute(
                    f"SELECT e.kind, e.{column}, w.slug, w.title, e.path, e.anchor, e.id"
                    f" {FTS_FIRST} CROSS JOIN wikis_wiki w ON w.id = e.wiki_id"
                    f" WHERE search_fts MATCH %s AND e.kind IN ({kinds}) AND {where}"
                    " ORDER BY search_fts.rowid DESC LIMIT %s",
                    [to_fts5(query, columns=column), *params, SUGGEST_WINDOW],
                )
                found.extend(cursor.fetchall())
        found.sort(key=lambda r: (KIND_RANK[r[0]], len(r[1]), r[6]))
        return [RawSuggestion(*row[:6]) for row in found[:limit]]

    def facet_rows(self, query: Query, *, scope: Scope) -> list[tuple[str, str, str]]:
        match = to_fts5(query)
        if not match or not scope.wiki_ids:
            return []
        where, params = scope_sql(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.path, e.kind, e.lang {FTS_FIRST}"
                f" WHERE search_fts MATCH %s AND {where} LIMIT %s",
                [match, *params, FACET_WINDOW],
            )
            return cursor.fetchall()

    def similar_terms(self, word: str, *, limit: int) -> list[str]:
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_term_fts WHERE search_term_fts MATCH %s"
                " ORDER BY rank LIMIT %s",
                [match, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def infix_terms(self, fragment: str, *, limit: int) -> list[str]:
        if len(fragment) < 3:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_term_fts WHERE search_term_fts MATCH %s"
                " ORDER BY length(word), word LIMIT %s",
                ['"' + fragment.replace('"', '""') + '"', limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def rebuild_structures(self) -> None:
        with connection.cursor() as cursor:
            for sql in _missing_triggers(cursor):
                cursor.execute(sql)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cursor.execute(
                "INSERT INTO search_term_fts(search_term_fts) VALUES ('rebuild')"
            )


def _missing_triggers(cursor) -> list[str]:
    """Return the CREATE TRIGGER statements of sync triggers that are gone."""
    from importlib import import_module

    engine = import_module("deepwiki.search.migrations.0002_engine_indexes")
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    present = {row[0] for row in cursor.fetchall()}
    return [
        sql
        for sql in engine.SQLITE_FORWARD
        if sql.startswith("CREATE TRIGGER") and sql.split()[2] not in present
    ]


def _without_prefixes(cursor, query: Query) -> str:
    """Spell out a prefix term as the indexed words it stands for.

    snippet() with a prefix phrase on a few rowids costs ~100 ms on a large
    index; the same highlight with the actual words costs ~1 ms.
    """
    mapping: dict[str, list[str]] = {}
    for clause in query.positive:
        for term in clause.terms:
            if term.prefix:
                word = term.words[0]
                cursor.execute(
                    "SELECT word FROM search_searchterm WHERE word >= %s AND word < %s"
                    " ORDER BY word LIMIT %s",
                    [word, word + "\U0010ffff", PREFIX_EXPANSIONS],
                )
                mapping[word] = [word] + [
                    r[0] for r in cursor.fetchall() if r[0] != word
                ]
    return to_fts5(query.expand_words(mapping) if mapping else query)
