"""Admin analytics tables, their CSV downloads, the chart and the API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from deepwiki.activity.models import PageView, SearchLog
from deepwiki.activity.services import pageview_record, search_log_record
from deepwiki.analytics.reports import REPORTS
from deepwiki.analytics.tables import bar_chart_svg, csv_safe

pytestmark = pytest.mark.django_db


def rows(key: str, days: int) -> list[dict]:
    return list(REPORTS[key].rows(days))


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def site(make_wiki, travel, user, other_user):
    """Two wikis with views, searches, an old page and a broken link."""
    handbook = make_wiki(
        user,
        title="Handbook",
        files={
            "index.md": "# Handbook\n\nSee [setup](setup.md) and [gone](missing.md).\n",
            "setup.md": "# Setup\n",
        },
    )
    notes = make_wiki(
        other_user, title="Notes", files={"index.md": "# Notes\n" + "n" * 500}
    )
    today = timezone.localdate()
    for path, per_day in (("index.md", [5, 3, 0]), ("setup.md", [1, 1, 40])):
        for offset, count in enumerate(per_day):  # today, yesterday, 40 days ago
            day = today - timedelta(days=40 if offset == 2 else offset)
            PageView.objects.create(day=day, wiki=handbook, path=path, count=count)
    pageview_record(wiki=notes, path="index.md")
    return {"handbook": handbook, "notes": notes}


def test_most_viewed_sums_the_period(site):
    week = rows("views", 7)
    assert [(r["wiki__title"], r["path"], r["views"]) for r in week] == [
        ("Handbook", "index.md", 8),
        ("Handbook", "setup.md", 2),
        ("Notes", "index.md", 1),
    ]
    assert week[0]["title"] == "Handbook" and week[1]["title"] == "Setup"
    quarter = rows("views", 90)
    assert quarter[0]["path"] == "setup.md" and quarter[0]["views"] == 42


def test_search_tables_group_by_normalised_text(user):
    for query, results in [
        ("Deploy", 3),
        ("deploy ", 5),
        ("  DEPLOY", 1),
        ("kubernetes", 0),
        ("Kubernetes", 0),
        ("helm", 0),
    ]:
        search_log_record(query=query, results=results, user=user)
    old = search_log_record(query="ancient", results=0)
    SearchLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    top = rows("searches", 30)
    assert [(r["normalized"], r["searches"]) for r in top] == [
        ("deploy", 3),
        ("kubernetes", 2),
        ("helm", 1),
    ]
    assert top[0]["avg_results"] == pytest.approx(3.0)
    assert [(r["normalized"], r["searches"]) for r in rows("zero-results", 30)] == [
        ("kubernetes", 2),
        ("helm", 1),
    ]
    assert "ancient" in [r["normalized"] for r in rows("zero-results", 90)]


def test_stale_pages_are_markdown_older_than_n_days(site, travel):
    from deepwiki.wikis.models import WikiFile

    WikiFile.objects.filter(wiki=site["handbook"], path="setup.md").update(
        updated_at=timezone.now() - timedelta(days=100)
    )
    assert [(r["wiki__title"], r["path"]) for r in rows("stale", 90)] == [
        ("Handbook", "setup.md")
    ]
    assert rows("stale", 120) == []


def test_broken_links_are_listed_with_their_page(site):
    found = rows("broken-links", 0)
    assert [(r["wiki__title"], r["source__path"], r["target"]) for r in found] == [
        ("Handbook", "index.md", "missing.md")
    ]


def test_storage_by_wiki_is_largest_first(site):
    storage = rows("storage", 0)
    assert [r["title"] for r in storage] == ["Notes", "Handbook"]
    assert storage[0]["total_size"] == len("# Notes\n" + "n" * 500)
    assert (
        storage[0]["versions"] == 1 and storage[0]["owner__email"] == "bob@example.com"
    )


def test_contributors_count_versions_and_survive_account_deletion(
    site, user, admin_user
):
    from deepwiki.administration.users import user_delete
    from deepwiki.wikis.services import file_save

    file_save(actor=user, wiki=site["handbook"], path="more.md", content="# More\n")
    assert [
        (r["author__email"], r["versions"], r["wikis"])
        for r in rows("contributors", 30)
    ] == [
        ("alice@example.com", 2, 1),
        ("bob@example.com", 1, 1),
    ]
    user_delete(actor=admin_user, user=user)
    assert [(r["author__email"], r["versions"]) for r in rows("contributors", 30)] == [
        (None, 2),
        ("bob@example.com", 1),
    ]


def test_report_page_and_csv_download(signed_in, admin_user, site):
    client = signed_in(admin_user)
    page = client.get("/admin/analytics/views?days=7").content.decode()
    assert "Most viewed pages" in page and "index.md" in page and "3 rows" in page
    response = client.get("/admin/analytics/views?days=7&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="deepwiki-views-7d-'
    )
    assert read_csv(response) == [
        ["Wiki", "Page", "Title", "Views"],
        ["Handbook", "index.md", "Handbook", "8"],
        ["Handbook", "setup.md", "Setup", "2"],
        ["Notes", "index.md", "Notes", "1"],
    ]
    assert client.get("/admin/analytics/nope").status_code == 404


def test_csv_cells_cannot_become_formulas(signed_in, admin_user, user):
    for query in ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "plain"]:
        search_log_record(query=query, results=0, user=user)
    response = signed_in(admin_user).get("/admin/analytics/zero-results?format=csv")
    cells = {row[0] for row in read_csv(response)[1:]}
    assert cells == {
        '\'=hyperlink("http://evil")',
        "'+1+1",
        "'-2",
        "'@sum(a1)",
        "plain",
    }
    assert csv_safe(-3) == -3 and csv_safe("\tcmd") == "'\tcmd"


def test_deleted_author_shows_as_deleted_user_in_csv(
    signed_in, admin_user, make_wiki, make_user
):
    from deepwiki.administration.users import user_delete

    gone = make_user("gone@example.com")
    make_wiki(gone, title="Orphaned")
    user_delete(actor=admin_user, user=gone)
    response = signed_in(admin_user).get("/admin/analytics/contributors?format=csv")
    assert read_csv(response)[1][0] == "deleted user"


def test_overview_has_every_table_and_an_inline_chart(signed_in, admin_user, site):
    html = signed_in(admin_user).get("/admin/analytics?days=7").content.decode()
    for report in REPORTS.values():
        assert report.title in html
        assert f"/admin/analytics/{report.key}?days=" in html
    assert "<svg" in html and html.count('class="chart-bar"') == 7
    assert "11 views in the last 7 days" in html


def test_chart_escapes_labels_and_scales_bars():
    from datetime import date

    svg = bar_chart_svg(
        [(date(2026, 1, 1), 2), (date(2026, 1, 2), 4)], label='<script>"x"</script>'
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'height="152.0"' in svg and 'height="76.0"' in svg
    empty = bar_chart_svg([(date(2026, 1, 1), 0)], label="none")
    assert 'height="0.0"' in empty


def test_api_serves_each_table_with_pagination(api_as, admin_user, site):
    client = api_as(admin_user)
    body = client.get("/api/analytics/views?days=7&limit=2").json()
    assert body["total"] == 3 and body["days"] == 7 and len(body["items"]) == 2
    assert body["items"][0] == {
        "wiki_slug": site["handbook"].slug,
        "wiki_title": "Handbook",
        "path": "index.md",
        "views": 8,
        "title": "Handbook",
    }
    for key in (
        "searches",
        "zero-results",
        "stale",
        "broken-links",
        "storage",
        "contributors",
    ):
        assert client.get(f"/api/analytics/{key}").status_code == 200, key
    assert client.get("/api/analytics/nope").status_code == 404
    per_day = client.get("/api/analytics/views-per-day?days=7").json()["items"]
    assert len(per_day) == 7 and per_day[-1]["views"] == 1 + 5 + 1


def test_unknown_period_falls_back_to_the_default(signed_in, admin_user):
    client = signed_in(admin_user)
    assert client.get("/admin/analytics/views?days=abc").status_code == 200
    assert client.get("/admin/analytics?days=-1").status_code == 200
    assert client.get("/admin/analytics/stale?days=99999").status_code == 200
