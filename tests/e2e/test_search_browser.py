"""The search box and the search page in a real browser (Debian chromium)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wikis(user):
    from deepwiki.wikis.services import IncomingFile, wiki_import

    def make(title, files, **meta):
        incoming = [IncomingFile(path=p, data=d.encode()) for p, d in files.items()]
        return wiki_import(
            owner=user, files=incoming, title=title, visibility="public", **meta
        )

    ops = make(
        "Operations",
        {
            "index.md": "# Operations\n\nHow we run things.\n",
            "kubernetes.md": "# Kubernetes\n\nClusters.\n\n## Installation\n\n"
            "Install the database operator first.\n\n## Upgrades\n\nRolling.\n",
        },
    )
    other = make("Recipes", {"index.md": "# Recipes\n\nThe database of soups.\n"})
    return ops, other


def test_suggestions_are_keyboard_navigable_and_open_the_heading(page, wikis):
    ops, _ = wikis
    page.goto("/search")
    box = page.get_by_role("combobox", name="Search wikis")
    box.click()
    box.press_sequentially("instal", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for(state="visible")
    option = listbox.get_by_role("option").filter(has_text="Installation")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert (
        active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    )
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    option.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/wikis/{ops.slug}/kubernetes\.md#installation$"))
    assert not page.js_errors


def test_enter_without_a_choice_opens_the_search_page(page, wikis):
    page.goto("/search")
    box = page.get_by_role("combobox", name="Search wikis")
    box.fill("database")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=database$"))
    assert page.get_by_role(
        "heading", name=re.compile(r"2 results for “database”")
    ).is_visible()
    assert page.locator(".search-snippet mark").first.inner_text().lower() == "database"
    assert not page.js_errors


def test_search_page_filters_narrow_the_results(page, wikis):
    ops, _ = wikis
    page.goto("/search?q=database")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Wiki", exact=True).select_option(ops.slug)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"wiki={ops.slug}"))
    assert page.get_by_role("heading", name=re.compile(r"1 result for")).is_visible()
    hit = page.locator(".search-hit-title").first
    assert "Installation" in hit.inner_text()
    assert hit.get_attribute("href") == f"/wikis/{ops.slug}/kubernetes.md#installation"
    assert not page.js_errors


def test_no_results_show_a_hint(page, wikis):
    page.goto("/search?q=zzzqqq")
    assert page.get_by_role("heading", name=re.compile("No results")).is_visible()
    assert page.get_by_text("checking the spelling").is_visible()
