"""EXPLAIN (ANALYZE) every query of one signed-in page view (issue 17).

Usage (against a prepared bench database, see bench/pageviews.sh):
  DEEPWIKI_DATA_DIR=/tmp/dw-bench/postgres DATABASE_URL=... REDIS_URL=... \\
      .venv/bin/python bench/explain_pageview.py [--wiki Bench] [--path PATH]

Views the page twice (the second is measured: sidebar and caches warm) and
prints each query with its plan: EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY
PLAN on SQLite.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepwiki.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from deepwiki.wikis.models import Wiki, WikiFile  # noqa: E402


def main() -> None:
    """View one page and explain each of its queries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wiki", default="Bench")
    parser.add_argument("--path", default=None)
    args = parser.parse_args()
    wiki = Wiki.objects.get(title=args.wiki)
    path = (
        args.path
        or (
            WikiFile.objects.filter(wiki=wiki, path__contains="/", kind="markdown")
            .order_by("sort_key")
            .values_list("path", flat=True)[500]
        )
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email="admin@deepwiki.com"))
    url = f"/wikis/{wiki.slug}/{path}"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    print(
        f"{url}: {response.status_code}, {len(response.content)} bytes, "
        f"{len(captured.captured_queries)} queries ({connection.vendor})\n"
    )
    for number, query in enumerate(captured.captured_queries, 1):
        sql = query["sql"]
        print(f"--- {number}. {query['time']} s: {sql[:300]}")
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            try:
                cursor.execute(explain + sql)
            except Exception as exc:  # SQLite's logged SQL is not always runnable
                print(f"    (not explained: {exc})")
                continue
            for row in cursor.fetchall():
                print("   ", " ".join(str(c) for c in row))
        print()


if __name__ == "__main__":
    main()
