"""Page views are counted off the request path: buffered, then flushed in batches.

A view used to UPDATE a counter (and the reader's recent views) inside
`BEGIN IMMEDIATE`, so every reader waited for SQLite's one write lock.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE", "SAVEPOINT")


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_page_view_runs_no_write_sql(signed_in, make_wiki, user):
    wiki = make_wiki(user, title="Quiet")
    browser = signed_in(user)
    url = reverse("wiki_page", args=[wiki.slug, "index.md"])
    browser.get(url)  # warm: session touch, caches
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    assert _writes(captured.captured_queries) == []


def test_buffered_views_reach_the_tables_after_a_flush(signed_in, make_wiki, user):
    from deepwiki.activity.models import Activity, PageView, RecentView

    wiki = make_wiki(user, title="Counted")
    browser = signed_in(user)
    url = reverse("wiki_page", args=[wiki.slug, "index.md"])
    for _ in range(3):
        assert browser.get(url).status_code == 200
    assert not PageView.objects.filter(wiki=wiki).exists()

    call_command("flushviews", stdout=open("/dev/null", "w"))

    assert PageView.objects.get(wiki=wiki, path="index.md").count == 3
    recent = RecentView.objects.get(user=user, wiki=wiki, path="index.md")
    assert recent.title
    viewed = Activity.objects.filter(action=Activity.Action.WIKI_VIEWED, wiki=wiki)
    assert viewed.count() == 1
    # A second flush finds nothing left: no double counting.
    call_command("flushviews", stdout=open("/dev/null", "w"))
    assert PageView.objects.get(wiki=wiki, path="index.md").count == 3


def test_report_and_dashboard_see_buffered_views(signed_in, make_wiki, user):
    from deepwiki.activity.services import pageview_record
    from deepwiki.analytics.reports import most_viewed

    wiki = make_wiki(user, title="Reported")
    pageview_record(wiki=wiki, path="index.md", user=user, title="Reported home")
    assert [row["views"] for row in most_viewed(7)] == [1]
    assert "Reported home" in signed_in(user).get("/dashboard").content.decode()


def test_views_of_a_deleted_wiki_are_dropped_at_flush(make_wiki, user):
    from deepwiki.activity.models import PageView
    from deepwiki.activity.services import pageview_record, pageviews_flush
    from deepwiki.wikis.models import Wiki

    wiki = make_wiki(user, title="Gone")
    pageview_record(wiki=wiki, path="index.md", user=user)
    Wiki.objects.filter(pk=wiki.pk).delete()
    assert pageviews_flush() == 1
    assert not PageView.objects.exists()


def test_views_stay_buffered_when_the_flush_fails(make_wiki, user, monkeypatch):
    from django.db import DatabaseError

    from deepwiki.activity import services
    from deepwiki.activity.models import PageView

    wiki = make_wiki(user, title="Retry")
    services.pageview_record(wiki=wiki, path="index.md")

    def broken(entries):
        raise DatabaseError("locked")

    monkeypatch.setattr(services, "_store_counts", broken)
    with pytest.raises(DatabaseError):
        services.pageviews_flush()
    monkeypatch.undo()
    assert services.pageviews_flush() == 1
    assert PageView.objects.get(wiki=wiki).count == 1


def test_flush_statements_do_not_grow_with_the_pages_viewed(make_wiki, user):
    """A flush of 2,000 views of distinct pages once stalled a request for 7 s."""
    from deepwiki.activity.models import PageView, RecentView
    from deepwiki.activity.services import pageview_record, pageviews_flush

    wiki = make_wiki(user, title="Wide")
    counts = []
    for pages in (3, 60):
        for i in range(pages):
            pageview_record(wiki=wiki, path=f"p{pages}-{i}.md", user=user, title="T")
        with CaptureQueriesContext(connection) as captured:
            assert pageviews_flush() == pages
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert PageView.objects.filter(wiki=wiki).count() == 63
    assert RecentView.objects.filter(wiki=wiki).count() == 63
