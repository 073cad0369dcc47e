"""Dashboard, administration and analytics in a real browser (Debian chromium)."""

from __future__ import annotations

import csv
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def card(page, key: str) -> str:
    return page.locator(f'[data-stat="{key}"] .stat-value').inner_text().strip()


def test_dashboard_shows_real_figures_after_an_upload(page, user, password):
    sign_in(page, user.email, password)
    assert card(page, "wikis") == "0"
    page.get_by_role("heading", name="Get started").wait_for()
    page.goto("/wikis/-/upload")
    page.locator("#id_files").set_input_files(
        [
            {
                "name": "index.md",
                "mimeType": "text/markdown",
                "buffer": b"# Field guide\n\nHello.\n",
            },
            {
                "name": "tips.md",
                "mimeType": "text/markdown",
                "buffer": b"# Tips\n\nMore.\n",
            },
        ]
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/wikis/[^-][^/]*/"))
    page.goto("/dashboard")
    assert card(page, "wikis") == "1"
    assert card(page, "files") == "2"
    assert card(page, "uploads") == "1"
    assert card(page, "storage") == "36\xa0bytes"
    assert page.get_by_role("heading", name="Get started").count() == 0
    feed = page.locator("#activity-feed")
    assert "created" in feed.inner_text() and "Field guide" in feed.inner_text()
    # The greeting is set from the browser's clock.
    assert re.match(
        r"Good (morning|afternoon|evening), ", page.locator("#greeting").inner_text()
    )
    assert not page.js_errors


def test_feed_filter_swaps_the_feed_without_reloading(page, admin_user, password, user):
    from deepwiki.wikis.services import IncomingFile, wiki_import

    wiki_import(
        owner=user, title="Playbook", files=[IncomingFile("index.md", b"# Playbook\n")]
    )
    sign_in(page, admin_user.email, password)
    page.evaluate("window.__marker = 1")
    page.get_by_label("Type").select_option("accounts")
    page.wait_for_url(re.compile(r"type=accounts"))
    feed = page.locator("#activity-feed")
    feed.get_by_text("Nothing matches these filters").wait_for()
    assert page.evaluate("window.__marker") == 1  # same document: only the feed changed
    page.get_by_label("Type").select_option("created")
    feed.get_by_text("Playbook").wait_for()
    assert not page.js_errors


def test_admin_role_change_applies_to_the_user_at_once(
    browser, live_server, page, admin_user, user, password
):
    sign_in(page, admin_user.email, password)
    other = browser.new_context(base_url=live_server.url)
    try:
        tab = other.new_page()
        sign_in(tab, user.email, password)
        assert tab.goto("/admin/").status == 403
        assert tab.get_by_role("link", name="Admin").count() == 0
        page.goto("/admin/users/")
        row = page.locator(f'tr[data-user="{user.email}"]')
        row.get_by_label(f"Role of {user.email}").select_option("ADMIN")
        row.get_by_role("button", name=f"Save role of {user.email}").click()
        page.get_by_text(f"Updated {user.email}.").wait_for()
        assert tab.goto("/admin/").status == 200
        tab.get_by_role("heading", name="Administration").wait_for()
    finally:
        other.close()
    assert not page.js_errors


def test_csv_download_from_analytics(page, admin_user, password, user):
    from deepwiki.activity.services import search_log_record

    search_log_record(query="=cmd|' /C calc'!A0", results=0, user=user)
    search_log_record(query="onboarding", results=0, user=user)
    sign_in(page, admin_user.email, password)
    page.goto("/admin/analytics/zero-results")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert re.match(
        r"deepwiki-zero-results-30d-\d{4}-\d{2}-\d{2}\.csv$",
        download.suggested_filename,
    )
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Search", "Searches", "Last searched"]
    assert sorted(r[:2] for r in rows[1:]) == [
        ["'=cmd|' /c calc'!a0", "1"],  # neutralised: never a formula
        ["onboarding", "1"],
    ]


def test_maintenance_run_shows_its_result(page, admin_user, password):
    sign_in(page, admin_user.email, password)
    page.goto("/admin/maintenance")
    page.get_by_role("button", name="Start reindex").click()
    page.wait_for_url(re.compile(r"/admin/maintenance/\d+$"))
    page.get_by_text("Succeeded").first.wait_for()
    assert page.get_by_role("row", name=re.compile("Wikis")).count() == 1
    assert not page.js_errors


def test_feed_shows_an_error_and_recovers(page, user, password):
    sign_in(page, user.email, password)
    page.route(
        "**/dashboard?type=created*",
        lambda route: route.fulfill(status=500, body="boom"),
    )
    page.get_by_label("Type").select_option("created")
    error = page.get_by_role("alert").filter(has_text="could not be loaded")
    error.wait_for()
    page.unroute("**/dashboard?type=created*")
    page.get_by_role("button", name="Try again").click()
    error.wait_for(state="hidden")
    page.locator("#activity-feed").get_by_text(
        "Nothing matches these filters"
    ).wait_for()


def test_dashboard_keeps_no_page_copies_in_browser_storage(page, user, password):
    sign_in(page, user.email, password)
    page.get_by_label("Type").select_option("created")
    page.wait_for_url(re.compile(r"type=created"))
    page.go_back()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.wait_for_load_state("load")
    page.locator("#activity-feed").wait_for()
    keys = page.evaluate(
        "Object.keys(window.localStorage).concat(Object.keys(window.sessionStorage))"
    )
    assert "htmx-history-cache" not in keys  # no copies of the page content
    assert not page.js_errors
