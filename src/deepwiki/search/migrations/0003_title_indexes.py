"""PostgreSQL: indexes that keep suggestions and large result sets cheap.

- a B-tree over lower-cased titles and headings: "starts with what was typed"
  becomes an index range scan that stops after a few rows;
- a GIN index over page and wiki titles only, so finding the title matches of
  a very common word does not scan every section heading.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_entry_suggest_prefix ON search_searchentry"
    " (lower(CASE WHEN kind = 'section' THEN heading ELSE title END) text_pattern_ops)"
    " WHERE kind IN ('wiki', 'page', 'section')"
)
TITLES = (
    "CREATE INDEX IF NOT EXISTS search_entry_title_svector ON search_searchentry"
    " USING gin (svector) WHERE kind IN ('wiki', 'page')"
)
DROP = "DROP INDEX IF EXISTS search_entry_suggest_prefix"
DROP_TITLES = "DROP INDEX IF EXISTS search_entry_title_svector"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)
            cursor.execute(TITLES)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)
            cursor.execute(DROP_TITLES)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes")]

    operations = [migrations.RunPython(forward, backward)]
