"""Browser tests for diagrams.js and code.js on rendered pages, under the site's CSP."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # chromium_browser skips (or fails under CI) with the reason
    expect = None

from deepwiki.content import render

from .conftest import page_html

pytestmark = pytest.mark.browser

DIAGRAMS = """\
# Diagrams

```mermaid
graph TD
  A[Upload] --> B{Valid?}
  B -->|yes| C[Store]
  B -->|no| D[Reject]
```

```mermaid
sequenceDiagram
  Alice->>Bob: Hello
  Bob-->>Alice: Hi
```

```mermaid
classDiagram
  class Wiki {
    +slug: str
    +render()
  }
  Wiki <|-- PublicWiki
```

```mermaid
stateDiagram-v2
  [*] --> Draft
  Draft --> Published
  Published --> [*]
```

```mermaid
graph TD
  A --> B
  B --> C -->
  this is not mermaid
```

```python
print("copy me")
```
"""


def _write(site, name: str, markdown: str, *, mermaid_src: str | None = None) -> str:
    """Render Markdown into a page under the static site; return its URL."""
    root, base = site
    html = page_html(render(markdown, path=name).html)
    if mermaid_src is not None:
        html = html.replace(
            "src='/static/deepwiki/js/diagrams.js'",
            f"src='/static/deepwiki/js/diagrams.js' data-mermaid-src='{mermaid_src}'",
        )
    (root / name).write_text(html, encoding="utf-8")
    return f"{base}/{name}"


@pytest.fixture
def tab(chromium_browser):
    """A fresh tab that records page errors and console errors."""
    context = chromium_browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            page.errors.append(f"console: {msg.text}") if msg.type == "error" else None
        ),
    )
    yield page
    context.close()


def _open(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_selector("html[data-diagrams-ready='true']")


def test_three_diagram_types_render_as_svg(tab, static_site):
    _open(tab, _write(static_site, "diagrams.html", DIAGRAMS))
    views = tab.locator(".diagram-view")
    assert views.count() == 5
    for i in range(4):
        assert views.nth(i).locator("svg").count() == 1, f"diagram {i} has no svg"
    assert tab.locator("details.diagram-source").count() == 5
    assert (
        "Alice->>Bob"
        in tab.locator("details.diagram-source").nth(1).inner_text(timeout=1000)
        or "Alice->>Bob"
        in tab.locator("details.diagram-source pre").nth(1).text_content()
    )


def test_invalid_diagram_shows_inline_error_with_line_and_source(tab, static_site):
    _open(tab, _write(static_site, "invalid.html", DIAGRAMS))
    error = tab.locator(".diagram-view").nth(4).locator(".mermaid-error[role='alert']")
    assert error.count() == 1
    text = error.inner_text()
    assert "line" in text.lower() and any(ch.isdigit() for ch in text)
    source = tab.locator("details.diagram-source").nth(4)
    assert source.get_attribute("open") is not None
    assert "this is not mermaid" in source.inner_text()


def test_enter_opens_zoom_and_escape_closes_it_returning_focus(tab, static_site):
    _open(tab, _write(static_site, "zoom.html", DIAGRAMS))
    view = tab.locator(".diagram-view").first
    view.focus()
    tab.keyboard.press("Enter")
    dialog = tab.locator("dialog.diagram-dialog[open]")
    dialog.wait_for()
    assert dialog.locator("svg").count() == 1
    canvas = dialog.locator(".diagram-canvas")
    stage = dialog.locator(".diagram-stage")
    box = stage.bounding_box()
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.mouse.wheel(0, -400)
    expect(canvas).to_have_attribute("style", re.compile(r"scale\((?!1\))"))
    tab.keyboard.press("Escape")
    tab.wait_for_selector("dialog.diagram-dialog", state="detached")
    assert tab.evaluate("document.activeElement.classList.contains('diagram-view')")


def test_click_opens_zoom_and_close_button_closes_it(tab, static_site):
    _open(tab, _write(static_site, "zoom-click.html", DIAGRAMS))
    tab.locator(".diagram-view").nth(1).click()
    tab.locator("dialog.diagram-dialog[open]").wait_for()
    tab.locator(".diagram-dialog-close").click()
    tab.wait_for_selector("dialog.diagram-dialog", state="detached")
    assert tab.evaluate(
        "document.activeElement === document.querySelectorAll('.diagram-view')[1]"
    )


def test_theme_change_redraws_diagrams(tab, static_site):
    _open(tab, _write(static_site, "theme.html", DIAGRAMS))
    tab.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('deepwiki:diagramsrendered', resolve, {once: true});
            document.documentElement.dataset.theme = 'dark';
            document.dispatchEvent(new CustomEvent('deepwiki:themechange'));
        })"""
    )
    assert tab.locator(".diagram-view svg").count() == 4


def test_missing_mermaid_keeps_the_source_readable(tab, static_site):
    url = _write(
        static_site, "nomermaid.html", DIAGRAMS, mermaid_src="/static/missing.js"
    )
    tab.goto(url)
    notice = tab.locator(".diagram-notice[role='status']").first
    notice.wait_for()
    assert "unavailable" in notice.inner_text()
    assert tab.locator("details.diagram-source[open]").count() == 5
    tab.errors.clear()  # the 404 for the missing script is expected here


def test_copy_button_reports_copied(tab, static_site):
    _open(tab, _write(static_site, "copy.html", DIAGRAMS))
    button = tab.locator(".codeblock .copy-button")
    button.click()
    expect(button).to_have_text("Copied")


@pytest.fixture(autouse=True)
def _no_unexpected_errors(tab):
    """Fail a test whose page logged an error (other than Mermaid's parse error)."""
    yield
    unexpected = [
        e for e in tab.errors if "Parse error" not in e and "Syntax error" not in e
    ]
    assert not unexpected, unexpected
