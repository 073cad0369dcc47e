"""Every XSS vector rendered into one page, loaded in chromium with Mermaid active.

The page is loaded twice: with the site's CSP and without any CSP, so the
sanitiser and Mermaid's strict mode are shown to hold on their own.
"""

from __future__ import annotations

import pytest

from deepwiki.content import render

from .conftest import page_html
from .xss_vectors import VECTORS

pytestmark = pytest.mark.browser

# Record dialogs and the payload flag before any page script runs.
WATCH = "window.__dialogs = [];"


def _corpus_page() -> str:
    """Render each vector on its own and join them in one document."""
    parts = []
    for i, vector in enumerate(VECTORS):
        html = render(
            vector, path=f"xss/{i}.md", resolve_link=lambda t, k: f"/w/{t}"
        ).html
        parts.append(f"<section aria-label='vector {i}'>{html}</section>")
    return page_html("\n".join(parts), title="xss corpus")


def _sort_message(message, csp: list[str], console: list[str]) -> None:
    """File CSP reports and errors; Mermaid's own label parsing is expected.

    Mermaid parses label HTML with DOMPurify in an inert document that inherits
    the page's CSP, so chromium reports the (never run) handlers there; the
    run without CSP below proves they do not execute. A report from anywhere
    else means our sanitiser let inline script into the page.
    """
    if message.type not in ("error", "warning"):
        return
    source = (message.location or {}).get("url", "")
    if "Content Security Policy" in message.text:
        if not source.endswith("/mermaid.min.js"):
            csp.append(f"{source}: {message.text}")
        return
    console.append(message.text)


@pytest.fixture(scope="module")
def corpus_url(static_site):
    root, base = static_site
    (root / "xss.html").write_text(_corpus_page(), encoding="utf-8")
    return base


@pytest.mark.parametrize("prefix", ["", "/nocsp"], ids=["with-csp", "without-csp"])
def test_no_vector_runs_script_in_the_browser(chromium_browser, corpus_url, prefix):
    context = chromium_browser.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    dialogs, console, csp = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    page.on("console", lambda m: _sort_message(m, csp, console))
    try:
        page.goto(f"{corpus_url}{prefix}/xss.html")
        page.wait_for_selector("html[data-diagrams-ready='true']")
        # Give any surviving inline handler its event: hover, focus, toggle, load.
        page.evaluate(
            """() => {
                for (const el of document.querySelectorAll('main *')) {
                    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle',
                                        'load', 'error', 'animationstart', 'begin']) {
                        el.dispatchEvent(new Event(type));
                    }
                }
            }"""
        )
        flag = page.evaluate("() => window.__xss")
        rendered = page.locator(".diagram-view svg").count()
    finally:
        context.close()
    assert flag is None, "an XSS payload ran"
    assert dialogs == [], dialogs
    assert csp == [], (
        f"injected code reached the page and was only stopped by CSP: {csp}"
    )
    assert rendered > 0, "Mermaid did not render any diagram"
    injected = [m for m in console if "__xss" in m or "alert" in m]
    assert injected == [], injected
