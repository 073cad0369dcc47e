"""In chromium, a page with unclosed raw HTML shows every heading its TOC lists."""

from __future__ import annotations

import pytest

from deepwiki.content import render

from .conftest import page_html
from .test_raw_html_balance import OPENERS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages_url(static_site):
    root, base = static_site
    names = []
    for i, opener in enumerate(OPENERS):
        for j, place in enumerate(("{o}\n", "Text {o} text\n", "- {o}\n")):
            source = (
                f"# Page {i}\n\n{place.format(o=opener)}\n"
                "## After\n\nStill here.\n\n### Deeper\n\nThe end.\n"
            )
            page = render(source, path=f"p{i}.md")
            name = f"raw-{i}-{j}.html"
            (root / name).write_text(page_html(page.html), encoding="utf-8")
            names.append((name, page.toc))
    return base, names


def test_every_toc_heading_and_the_last_paragraph_are_visible(
    chromium_browser, pages_url
):
    base, names = pages_url
    context = chromium_browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        for name, toc in names:
            page.goto(f"{base}/{name}")
            ids = [e["id"] for e in toc] + [c["id"] for e in toc for c in e["children"]]
            assert ids, name
            for anchor in ids:
                assert page.locator(f"[id='{anchor}']").is_visible(), (name, anchor)
            assert page.get_by_text("The end.").is_visible(), name
    finally:
        context.close()
