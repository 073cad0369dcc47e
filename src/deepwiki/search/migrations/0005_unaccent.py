"""PostgreSQL: accent-insensitive search with the unaccent extension.

Created when the database role may (as pg_trgm in 0002); without it search
still works, accents then have to be typed. Existing vectors are recomputed
here so that indexed text and queries fold accents the same way.
"""

from django.db import migrations

BATCH = 2000


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from deepwiki.search.backends import postgres

    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT search_unaccent")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("RELEASE SAVEPOINT search_unaccent")
        except Exception:  # noqa: BLE001 - no privilege: accents stay significant
            cursor.execute("ROLLBACK TO SAVEPOINT search_unaccent")
            return
        postgres._UNACCENT.clear()
        cursor.execute("SELECT id FROM search_searchentry ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
    backend = postgres.PostgresBackend()
    for start in range(0, len(ids), BATCH):
        backend.after_insert(ids[start : start + BATCH])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_exact_names")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
