"""A page view's queries: out of templates, no HTML for lists, fresh statistics."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _pages(n: int) -> dict:
    files = {"index.md": "# Home\n"}
    for i in range(n):
        files[f"docs/p{i}.md"] = f"# Page {i}\n\nSee [home](../index.md).\n"
    return files


def test_backlinks_query_loads_no_rendered_html(make_wiki):
    from deepwiki.wikis import selectors

    wiki = make_wiki(_pages(3))
    home = selectors.file_get_by_path(wiki, "index.md")
    sql = str(selectors.backlinks(home).query).lower()
    assert "html" not in sql and "toc" not in sql
    assert "distinct" not in sql
    assert [f.path for f in selectors.backlinks(home)] == [
        "docs/p0.md",
        "docs/p1.md",
        "docs/p2.md",
    ]


def test_page_view_query_count_does_not_grow_with_backlinks(client, user, make_wiki):
    client.force_login(user)
    counts = []
    for n in (2, 40):
        wiki = make_wiki(_pages(n), title=f"W{n}")
        url = reverse("wiki_page", args=[wiki.slug, "index.md"])
        client.get(url)  # warm the sidebar cache
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert "Pages that link here" in html and "Page 1<" in html
        counts.append(len(captured.captured_queries))
        selects = [q["sql"].lower() for q in captured.captured_queries]
        assert sum('"html"' in sql for sql in selects) <= 1  # the page's own body
    assert counts[0] == counts[1]


def test_bulk_import_refreshes_planner_statistics(
    make_wiki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_wiki(_pages(250))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'wikis_wikifile'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'wikis_wikifile'"
            )
        assert cursor.fetchone()[0] > 0
