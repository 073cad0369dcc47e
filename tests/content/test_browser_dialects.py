"""Dialect elements in a real browser (Debian chromium), under the site's CSP.

Tabs switch without JavaScript (click and keyboard), math is laid out as
MathML, wide images fit the article. Screenshots of the all-dialects page in
light and dark, desktop and phone width, go to $DEEPWIKI_SCREENSHOT_DIR (or
the test's temp dir) to be looked at.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from .conftest import STATIC
from .test_dialects import FIXTURES, render_fixture

pytestmark = pytest.mark.browser

ORDER = [
    "callouts.md", "tabs.md", "math.md", "emoji.md", "fences.md", "mdbook.md",
    "attributes.md", "images.md",
]  # fmt: skip
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _png(width: int, height: int) -> bytes:
    """A plain PNG of the given size (a wide screenshot stand-in)."""
    row = b"\x00" + b"\x4a\x90\xe2" * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def _page(theme: str) -> str:
    """All fixtures in the wiki's three-column reading layout."""
    # Wiki URLs of images point at the test server's root here.
    body = "\n".join(render_fixture(name).html for name in ORDER)
    body = body.replace('src="/wikis/w/', 'src="/')
    toc = "".join(
        f"<li><a href='#{h.id}'>{h.text}</a></li>"
        for name in ORDER
        for h in render_fixture(name).headings
        if h.level == 2
    )
    css = ["base", "wiki", "content", "pygments"]
    links = "".join(
        f"<link rel='stylesheet' href='/static/deepwiki/css/{c}.css'>" for c in css
    )
    return (
        f"<!doctype html><html lang='en' data-theme='{theme}'><head>"
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>Dialects</title><link rel='icon' href='data:,'>{links}</head><body>"
        "<main class='wiki-layout' style='padding:1rem'>"
        "<nav class='wiki-sidebar'>Files</nav>"
        f"<article class='wiki-article'><div class='markdown-body'>{body}</div></article>"
        f"<aside class='wiki-toc'><h2 class='toc-title'>On this page</h2><ol>{toc}</ol>"
        "</aside></main></body></html>"
    )


@pytest.fixture(scope="module")
def dialect_site(static_site):
    root, base = static_site
    for name in ("base.css", "wiki.css"):
        shutil.copy(STATIC / "deepwiki" / "css" / name, root / "static/deepwiki/css")
    (root / "img").mkdir(exist_ok=True)
    (root / "img" / "wide.png").write_bytes(_png(2400, 120))
    for theme in ("light", "dark"):
        (root / f"dialects-{theme}.html").write_text(_page(theme), encoding="utf-8")
    # Room below the content, so any anchor can scroll to the top.
    spaced = _page("light").replace(
        "</body>", "<div style='height:3000px'></div></body>"
    )
    (root / "dialects-anchors.html").write_text(spaced, encoding="utf-8")
    return root, base


@pytest.fixture
def tab(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _open(tab, site, theme="light"):
    tab.goto(f"{site[1]}/dialects-{theme}.html")
    tab.wait_for_load_state("load")


def _open_tabs(tab, set_index: int) -> list[bool]:
    return tab.evaluate(
        "i => [...document.querySelectorAll('.tabbed-set')[i]"
        ".querySelectorAll(':scope > details')].map(d => d.open)",
        set_index,
    )


def test_tabs_switch_by_click_without_javascript(chromium_browser, dialect_site):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{dialect_site[1]}/dialects-light.html")
    first_set = page.locator(".tabbed-set").first
    labels = first_set.locator("summary")
    boxes = [labels.nth(i).bounding_box() for i in range(3)]
    assert len({round(b["y"]) for b in boxes}) == 1, "labels form one row"
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    labels.nth(1).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.tabbed-set')[0]"
        ".querySelectorAll('details')[1].open"
    )
    opened = [
        first_set.locator("details").nth(i).evaluate("d => d.open") for i in range(3)
    ]
    assert opened == [False, True, False]
    assert first_set.get_by_text("uv add client").is_visible()
    assert not first_set.get_by_text("pip install client").is_visible()
    context.close()


def test_tabs_switch_by_keyboard(tab, dialect_site):
    _open(tab, dialect_site)
    label = tab.locator(".tabbed-set").first.locator("summary").nth(2)
    label.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        "() => document.querySelectorAll('.tabbed-set')[0]"
        ".querySelectorAll('details')[2].open"
    )
    assert _open_tabs(tab, 0) == [False, False, True]
    assert (
        tab.locator(".tabbed-set")
        .first.get_by_text("Clone the repository")
        .is_visible()
    )


def test_math_is_laid_out_as_mathml(tab, dialect_site):
    _open(tab, dialect_site)
    fraction = tab.locator(".math-display mfrac").first.bounding_box()
    line = tab.locator("p math").first.bounding_box()
    assert fraction["height"] > line["height"] > 0  # a built-up fraction
    assert tab.locator(".math-error").first.is_visible()


def test_wide_images_fit_the_article(tab, dialect_site):
    _open(tab, dialect_site)
    tab.wait_for_function(
        "() => [...document.images].filter(i => i.src.includes('wide'))"
        ".every(i => i.complete && i.naturalWidth === 2400)"
    )
    article = tab.locator(".wiki-article").bounding_box()
    toc = tab.locator(".wiki-toc").bounding_box()
    for img in tab.locator("img[src*='wide']").all():
        box = img.bounding_box()
        assert box["x"] + box["width"] <= article["x"] + article["width"] + 1
        assert box["x"] + box["width"] < toc["x"]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_screenshots_of_every_dialect(
    chromium_browser, dialect_site, theme, size, tmp_path
):
    width, height = SIZES[size]
    context = chromium_browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{dialect_site[1]}/dialects-{theme}.html")
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    out = Path(os.environ.get("DEEPWIKI_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"dialects-{theme}-{size}.png"
    page.screenshot(path=str(target), full_page=True)
    print(f"screenshot: {target}")
    assert target.stat().st_size > 10_000
    context.close()


def test_fixture_list_is_complete():
    assert sorted(ORDER) == sorted(p.name for p in FIXTURES.glob("*.md"))


@pytest.mark.parametrize("anchor", ["legacy-anchor", "named-anchor", "options"])
def test_old_style_anchors_and_attribute_ids_are_link_targets(
    tab, dialect_site, anchor
):
    tab.goto(f"{dialect_site[1]}/dialects-anchors.html#{anchor}")
    tab.wait_for_load_state("load")
    top = tab.evaluate(
        """a => {
          const el = document.getElementById(a) || document.getElementsByName(a)[0];
          return el ? el.getBoundingClientRect().top : null;
        }""",
        anchor,
    )
    assert top is not None and abs(top) < 80, top
    assert tab.evaluate("window.scrollY") > 500
