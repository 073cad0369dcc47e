"""Engine-specific index structures, created only on the database that uses them.

PostgreSQL: pg_trgm, a weighted `vector` tsvector column with a GIN index, a
title/heading `svector` for suggestions, and trigram indexes for typo and infix
look-ups. SQLite: FTS5 tables kept in sync by triggers. The Django model does
not know these columns, so the same model and ORM writes work on both engines.
"""

# ruff: noqa: S608 - SQL text is built from constants only; every value a
# user typed is a bound parameter (and query text passes query.py first).

from django.db import migrations

PG_TRGM = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector",
    "ALTER TABLE search_searchentry ADD COLUMN svector tsvector",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
    "CREATE INDEX search_entry_svector ON search_searchentry USING gin (svector)",
]
PG_TRGM_INDEXES = [
    "CREATE INDEX search_term_word_trgm ON search_searchterm"
    " USING gin (word gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_word_trgm",
    "DROP INDEX IF EXISTS search_entry_svector",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS svector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]

FTS_COLUMNS = "title, heading, body, keywords, context"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS},"
    " content='search_searchentry', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN"
    f" INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES"
    " (new.id, new.title, new.heading, new.body, new.keywords, new.context); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) VALUES"
    " ('delete', old.id, old.title, old.heading, old.body, old.keywords,"
    " old.context); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) VALUES"
    " ('delete', old.id, old.title, old.heading, old.body, old.keywords,"
    " old.context);"
    f" INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES"
    " (new.id, new.title, new.heading, new.body, new.keywords, new.context); END",
    "CREATE VIRTUAL TABLE search_term_fts USING fts5(word,"
    " content='search_searchterm', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER search_term_fts_ai AFTER INSERT ON search_searchterm BEGIN"
    " INSERT INTO search_term_fts(rowid, word) VALUES (new.rowid, new.word); END",
    "CREATE TRIGGER search_term_fts_ad AFTER DELETE ON search_searchterm BEGIN"
    " INSERT INTO search_term_fts(search_term_fts, rowid, word) VALUES"
    " ('delete', old.rowid, old.word); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_term_fts_ad",
    "DROP TRIGGER IF EXISTS search_term_fts_ai",
    "DROP TABLE IF EXISTS search_term_fts",
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def _fts5_available(cursor) -> bool:
    """Tell whether this SQLite library was built with FTS5."""
    cursor.execute("PRAGMA compile_options")
    return any("FTS5" in row[0] for row in cursor.fetchall())


def _pg_trgm(schema_editor) -> bool:
    """Create pg_trgm if allowed; the system check reports it when it is missing."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT search_trgm")
            cursor.execute(PG_TRGM)
            cursor.execute("RELEASE SAVEPOINT search_trgm")
            return True
        except Exception:  # noqa: BLE001 - no privilege: index without trigrams
            cursor.execute("ROLLBACK TO SAVEPOINT search_trgm")
            return False


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            has_trgm = _pg_trgm(schema_editor)
            for sql in PG_FORWARD + (PG_TRGM_INDEXES if has_trgm else []):
                cursor.execute(sql)
        elif vendor == "sqlite" and _fts5_available(cursor):
            for sql in SQLITE_FORWARD:
                cursor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}
    with schema_editor.connection.cursor() as cursor:
        for sql in statements.get(vendor, []):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
