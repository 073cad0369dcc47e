"""PostgreSQL engine: weighted tsvector + GIN, ts_rank_cd, ts_headline, pg_trgm.

Text search configurations come from settings.DEEPWIKI_SEARCH_CONFIGS, default
("simple", "english"): `simple` keeps every word exactly as written (names,
code identifiers, stop words, any language), `english` adds stemming so that
"deploying" finds "deploy". Both go into one vector and the query is tried in
both; a word matching in both forms simply ranks a little higher.
"""

# ruff: noqa: S608 - SQL text is built from constants only; every value a
# user typed is a bound parameter (and query text passes query.py first).

from __future__ import annotations

import html
import re

from django.conf import settings
from django.db import DatabaseError, connection, transaction

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
from deepwiki.search.query import Query, to_tsquery

_CONFIG_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# ts_rank_cd weights in the order {D, C, B, A}: context, body, heading, title.
RANK_WEIGHTS = "'{0.05, 0.2, 0.5, 1.0}'"
AGE_DAYS = "extract(epoch FROM (now() - e.updated_at)) / 86400.0"
# ts_headline treats "<...>" as markup and drops it, so it gets escaped text;
# the hit is unescaped afterwards and escaped again together with the marks.
ESCAPED_BODY = (
    "replace(replace(replace(translate(left(e.body, 8000), %s, '  '),"
    " '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
)
# Candidates per tier past RANK_WINDOW matches: every candidate's vector is
# read twice (match + rank), so PostgreSQL gets a smaller window than FTS5.
CANDIDATES = 300
PREFIX_EXPANSIONS = 20
SUGGEST_TEXT = "(CASE WHEN e.kind = 'section' THEN e.heading ELSE e.title END)"
HEADLINE_OPTIONS = (
    "MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2,"
    ' FragmentDelimiter=" … ", StartSel='
    + SENTINEL_START
    + ", StopSel="
    + SENTINEL_STOP
)


def configs() -> tuple[str, ...]:
    """Return the configured text search configurations (names only, never SQL)."""
    value = settings.DEEPWIKI_SEARCH_CONFIGS  # default in config/env.py
    names = tuple(str(v) for v in value if _CONFIG_NAME.match(str(v)))
    return names or ("simple",)  # the one configuration every PostgreSQL has


EMPTY = "''"
_UNACCENT: dict[str, bool] = {}


def has_unaccent() -> bool:
    """Tell whether the unaccent extension is installed (checked once per database)."""
    name = str(connection.settings_dict.get("NAME"))
    if name not in _UNACCENT:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
            _UNACCENT[name] = cursor.fetchone() is not None
    return _UNACCENT[name]


def fold(sql: str) -> str:
    """Wrap text SQL in unaccent() when available: "réseau" and "reseau" match."""
    return f"unaccent({sql})" if has_unaccent() else sql


def _vector_sql(column: str, weight: str) -> str:
    parts = [
        f"to_tsvector('{cfg}'::regconfig, {fold(f'coalesce({column}, {EMPTY})')})"
        for cfg in configs()
    ]
    return f"setweight({' || '.join(parts)}, '{weight}')"


def _query_sql() -> str:
    """A tsquery that matches the text in any configured configuration."""
    parts = " || ".join(
        f"to_tsquery('{cfg}'::regconfig, {fold('%s')})" for cfg in configs()
    )
    return f"SELECT {parts} AS query"


class PostgresBackend:
    vendor = "postgresql"

    def problems(self) -> list[str]:
        problems = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            installed = cursor.fetchone() is not None
            cursor.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
            )
            if not installed and cursor.fetchone() is None:
                problems.append(
                    "The PostgreSQL extension pg_trgm is not available on the database"
                    " server; search needs it for typo tolerance. Install PostgreSQL's"
                    " contrib package (e.g. postgresql-contrib), then run"
                    " `deepwiki migrate` and `deepwiki reindex`."
                )
            elif not installed and engine_migrated():
                problems.append(
                    "The PostgreSQL extension pg_trgm is not installed; search needs"
                    " it for typo tolerance. As a superuser run `CREATE EXTENSION"
                    " pg_trgm;` in this database, then `deepwiki reindex`."
                )
            for cfg in configs():
                cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [cfg])
                if cursor.fetchone() is None:
                    problems.append(
                        f"Text search configuration {cfg!r} (DEEPWIKI_SEARCH_CONFIGS)"
                        " does not exist in this PostgreSQL database."
                    )
        return problems

    def after_insert(self, entry_ids: list[int]) -> None:
        """Compute the weighted vectors of fresh rows in one statement."""
        if not entry_ids:
            return
        vector = " || ".join(
            [
                _vector_sql("e.title", "A"),
                _vector_sql("e.heading || ' ' || e.keywords", "B"),
                _vector_sql("e.body", "C"),
                _vector_sql("e.context", "D"),
            ]
        )
        svector = (
            "to_tsvector('simple'::regconfig,"
            + fold("CASE WHEN e.kind = 'section' THEN e.heading ELSE e.title END")
            + ")"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchentry e SET vector = {vector}, svector = {svector}"
                " WHERE e.id = ANY(%s)",
                [entry_ids],
            )

    def search(self, query: Query, *, scope: Scope, limit: int, offset: int) -> RawPage:
        text = to_tsquery(_spell_out_prefixes(query))
        if not text or not scope.wiki_ids:
            return RawPage()
        where, params = scope_sql(scope)
        tsq = [text] * len(configs())
        matches = (
            f"FROM search_searchentry e, ({_query_sql()}) q"
            f" WHERE e.vector @@ q.query AND {where}"
        )
        with connection.cursor() as cursor:
            # One pass finds the matches (up to the cap): their number is the
            # total, and the ids are the candidates to rank.
            cursor.execute(
                f"SELECT e.id {matches} LIMIT %s", [*tsq, *params, COUNT_CAP + 1]
            )
            ids = [row[0] for row in cursor.fetchall()]
            page = RawPage(total=min(len(ids), COUNT_CAP), capped=len(ids) > COUNT_CAP)
            if not ids or offset >= len(ids):
                return page
            key = exact_key(query)
            if len(ids) > RANK_WINDOW:
                ids = ids[:CANDIDATES] + self._title_matches(
                    cursor, tsq, text, where, params
                )
                if key != NO_KEY:
                    cursor.execute(exact_ids_sql(where), [key, key, *params])
                    ids += [row[0] for row in cursor.fetchall()]
            score = (
                f"ts_rank_cd({RANK_WEIGHTS}, e.vector, q.query, 1)"
                f" * {recency_factor(AGE_DAYS)} * {RANK_TIER}"
            )
            cursor.execute(
                f"SELECT e.id, {score} AS score FROM search_searchentry e,"
                f" ({_query_sql()}) q WHERE e.id = ANY(%s)"
                " ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                [key, key, *tsq, sorted(set(ids)), limit, offset],
            )
            rows = cursor.fetchall()
            snippets = (
                self._headlines(cursor, tsq, [r[0] for r in rows]) if rows else {}
            )
        page.hits = [RawHit(r[0], float(r[1]), snippets.get(r[0], "")) for r in rows]
        return page

    def _title_matches(self, cursor, tsq, text: str, where: str, params) -> list[int]:
        """Page and wiki titles that match: they must not be missed in a large set."""
        cursor.execute(
            f"SELECT e.id FROM search_searchentry e, ({_query_sql()}) q"
            f" WHERE e.svector @@ to_tsquery('simple', {fold('%s')})"
            " AND e.kind IN ('wiki', 'page')"
            # ts_match_vq() is @@ without the index: check the few title rows,
            # never intersect with the (huge) GIN bitmap of a common word.
            " AND ts_match_vq(e.vector, q.query)"
            f" AND {where} LIMIT %s",
            [*tsq, text, *params, CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]

    def _headlines(self, cursor, tsq: list[str], ids: list[int]) -> dict[int, str]:
        """Cut snippets for one page of hits only (ts_headline is the costly part)."""
        cursor.execute(
            f"SELECT e.id, ts_headline('{configs()[-1]}'::regconfig, {ESCAPED_BODY},"
            f" q.query, %s) FROM search_searchentry e, ({_query_sql()}) q"
            " WHERE e.id = ANY(%s)",
            [SENTINEL_START + SENTINEL_STOP, HEADLINE_OPTIONS, *tsq, ids],
        )
        return {row[0]: html.unescape(row[1] or "") for row in cursor.fetchall()}

    def suggest(self, query: Query, *, scope: Scope, limit: int) -> list[RawSuggestion]:
        text = to_tsquery(query)
        if not text or not scope.wiki_ids:
            return []
        where, params = scope_sql(scope)
        found = self._suggest_starting_with(query, where, params, limit)
        if len(found) < limit:
            found += self._suggest_word_prefix(text, where, params)
        found.sort(key=lambda r: (KIND_RANK[r[0]], len(r[1]), r[6]))
        return [RawSuggestion(*row[:6]) for row in found]

    def _suggest_starting_with(self, query: Query, where: str, params, limit) -> list:
        """Titles and headings that start with the typed words (a B-tree range)."""
        typed = " ".join(query.words())
        pattern = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.kind, {SUGGEST_TEXT}, w.slug, w.title, e.path, e.anchor, e.id"
                " FROM search_searchentry e JOIN wikis_wiki w ON w.id = e.wiki_id"
                f" WHERE lower({SUGGEST_TEXT}) LIKE %s"
                f" AND e.kind IN ('wiki', 'page', 'section') AND {where}"
                f" ORDER BY lower({SUGGEST_TEXT}) USING ~<~ LIMIT %s",
                [pattern + "%", *params, limit * 4],
            )
            return cursor.fetchall()

    def _suggest_word_prefix(self, text: str, where: str, params) -> list:
        """Titles and headings with a later word starting with what was typed."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.kind, {SUGGEST_TEXT}, w.slug, w.title, e.path, e.anchor, e.id"
                " FROM search_searchentry e JOIN wikis_wiki w ON w.id = e.wiki_id"
                f" WHERE e.svector @@ to_tsquery('simple'::regconfig, {fold('%s')})"
                f" AND e.kind IN ('wiki', 'page', 'section') AND {where} LIMIT %s",
                [text, *params, SUGGEST_WINDOW],
            )
            return cursor.fetchall()

    def facet_rows(self, query: Query, *, scope: Scope) -> list[tuple[str, str, str]]:
        text = to_tsquery(_spell_out_prefixes(query))
        if not text or not scope.wiki_ids:
            return []
        where, params = scope_sql(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.path, e.kind, e.lang FROM search_searchentry e,"
                f" ({_query_sql()}) q WHERE e.vector @@ q.query AND {where} LIMIT %s",
                [*[text] * len(configs()), *params, FACET_WINDOW],
            )
            return cursor.fetchall()

    def similar_terms(self, word: str, *, limit: int) -> list[str]:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word FROM search_searchterm WHERE word %% %s"
                    " ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                    [word, word, limit],
                )
                return [row[0] for row in cursor.fetchall()]
        except DatabaseError:  # pg_trgm missing: the system check says so
            return []

    def infix_terms(self, fragment: str, *, limit: int) -> list[str]:
        if len(fragment) < 3:
            return []
        pattern = (
            "%"
            + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchterm WHERE word LIKE %s"
                " ORDER BY length(word), word LIMIT %s",
                [pattern, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def rebuild_structures(self) -> None:
        """Add the trigram index if pg_trgm arrived after the first migration."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone() is not None:
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS search_term_word_trgm ON"
                    " search_searchterm USING gin (word gin_trgm_ops)"
                )


def _spell_out_prefixes(query: Query) -> Query:
    """Replace a prefix term by the indexed words it stands for, when they are few.

    GIN must merge every posting list under a prefix before it can intersect
    ("narwhal metric…" read all of "metric*"); a short OR of exact words lets
    it skip through the rare word's list instead.
    """
    from deepwiki.search.models import SearchTerm

    mapping: dict[str, list[str]] = {}
    for clause in query.positive:
        for term in clause.terms:
            word = term.words[0]
            if not term.prefix or word.isdigit() or len(word) > 40:
                continue
            words = list(
                SearchTerm.objects.filter(word__startswith=word)
                .order_by("word")
                .values_list("word", flat=True)[: PREFIX_EXPANSIONS + 1]
            )
            if len(words) > PREFIX_EXPANSIONS:
                return query  # too many: the prefix itself is cheaper
            mapping[word] = sorted({word, *words})
    return query.expand_words(mapping) if mapping else query
