"""The Markdown dialects people write render as elements, never as raw syntax.

One fixture per point of issue 13 (items 5-12) under fixtures/dialects/,
written for these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deepwiki.content import join_wiki_path, render, sanitize_html

from .htmltools import parse

FIXTURES = Path(__file__).parent / "fixtures" / "dialects"
RAW_SYNTAX = ("!!!", "===", "{{#", "[!NOTE]", ":::", "$$", "[!TIP]", "???")
FILES = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()}
FILES |= {"img/wide.png"}


def _resolve(path: str):
    def resolve(target: str, kind: str) -> str | None:
        wanted = join_wiki_path(path, target)
        return f"/wikis/w/{wanted}" if wanted in FILES else None

    return resolve


def _include(path: str):
    def resolve(target: str) -> str | None:
        wanted = join_wiki_path(path, target)
        file = FIXTURES / (wanted or "")
        return file.read_text() if wanted and file.is_file() else None

    return resolve


def render_fixture(name: str):
    source = (FIXTURES / name).read_text()
    return render(
        source, path=name, resolve_link=_resolve(name), resolve_include=_include(name)
    )


def _visible_text(html: str) -> str:
    """Text outside code blocks (raw syntax there is the author's own code)."""
    root = parse(html)
    parts: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("pre", "code"):
                walk(child)

    walk(root)
    return "".join(parts)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_no_raw_dialect_syntax_survives(name):
    html = render_fixture(name).html
    for syntax in RAW_SYNTAX:
        assert syntax not in html, (name, syntax)
    assert "{#" not in _visible_text(html) and "{:" not in _visible_text(html)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_dialect_output_is_a_fixed_point_of_the_sanitiser(name):
    html = render_fixture(name).html
    strip_ids = lambda h: re.sub(r' id="[^"]*"', "", h)  # noqa: E731
    assert strip_ids(sanitize_html(html)) == strip_ids(html)


def test_callouts_in_every_syntax_become_one_element():
    root = parse(render_fixture("callouts.md").html)
    boxes = root.find_all(cls="callout")
    kinds = [next(c for c in b.classes if c.startswith("callout-")) for b in boxes]
    assert kinds == [
        "callout-note", "callout-tip", "callout-important", "callout-warning",
        "callout-caution", "callout-tip", "callout-note", "callout-warning",
        "callout-info", "callout-tip", "callout-danger", "callout-warning",
        "callout-note", "callout-warning",
    ]  # fmt: skip
    titles = [b.find(cls="callout-title").text() for b in boxes]
    assert titles[:6] == [
        "Note",
        "Tip",
        "Important",
        "Warning",
        "Caution",
        "Faster builds",
    ]
    assert titles[6:11] == [
        "Before you start", "Known limits", "Open by default", "Docusaurus tip",
        "Data loss",
    ]  # fmt: skip
    collapsible = [b for b in boxes if b.tag == "details"]
    assert [("open" in b.attrs) for b in collapsible] == [False, True]
    assert boxes[6].find("strong").text() == "admin"
    assert boxes[12].find("a").attrs["href"] == "https://example.org"


def test_callout_text_is_indexed_for_search():
    page = render_fixture("callouts.md")
    text = " ".join(s.text for s in page.sections)
    assert "Rotating the key logs every user out." in text
    assert "Before you start" in text and "Never run the reset script" in text


def test_tabs_form_exclusive_groups_with_one_open_tab():
    page = render_fixture("tabs.md")
    root = parse(page.html)
    sets = root.find_all(cls="tabbed-set")
    assert len(sets) == 2
    first = [d for d in sets[0].children if not isinstance(d, str)]
    assert [d.find("summary").text() for d in first] == ["pip", "uv", "From source"]
    assert {d.attrs["name"] for d in first} == {"tabs-1"}
    assert ["open" in d.attrs for d in first] == [True, False, False]
    second = [d for d in sets[1].children if not isinstance(d, str)]
    assert {d.attrs["name"] for d in second} == {"tabs-2"}
    assert ["open" in d.attrs for d in second] == [False, True]  # ===+ selects
    assert first[2].find("strong").text() == "build"
    assert "uv add client" in first[1].find("code").text()
    assert "From source" in " ".join(s.text for s in page.sections)


def test_math_renders_to_mathml_with_backslashes_kept():
    page = render_fixture("math.md")
    root = parse(page.html)
    maths = root.find_all("math")
    assert [m.attrs.get("display") for m in maths] == ["inline"] * 3 + ["block"] * 3
    assert root.find("mspace").attrs["width"] == "0.167em"  # a\,b kept its \,
    assert root.find("mfrac")
    error = root.find(cls="math-error")
    assert error.text() == r"\frac{1}{"
    assert "$5 and $10 are not math" in page.html
    text = " ".join(s.text for s in page.sections)
    assert r"\sqrt{\frac{GM}{r}}" in text and r"\sum_{i=1}^{n}" in text


def test_emoji_and_icon_shortcodes_never_show_raw():
    page = render_fixture("emoji.md")
    root = parse(page.html)
    assert "🎉" in page.html and "✅" in page.html and "👍" in page.html
    cells = [td.text() for td in root.find_all("td")]
    assert cells == ["Export", "✓", "Import", "✗"]
    labels = [s.text() for s in root.find_all(cls="icon-label")]
    assert labels == ["mark github", "mastodon"]
    assert "10:30:00" in page.html
    assert root.find("code").text() == ":tada:"
    assert ":material-" not in page.html and ":octicons-" not in page.html


def test_fence_info_strings_are_read_like_the_source_sites():
    root = parse(render_fixture("fences.md").html)
    blocks = root.find_all(cls="codeblock")
    assert [b.attrs["data-lang"] for b in blocks] == ["rust", "python", "js", "mermaid"]
    assert blocks[0].find(cls="tok-k")  # highlighted, not "text"
    assert blocks[1].find(cls="codeblock-title").text() == "app.py"
    numbers = [s.attrs["data-line"] for s in blocks[1].find_all(cls="tok-ln")]
    assert numbers == ["1", "2", "3", "4"]  # the blank line keeps its number
    marked = blocks[1].find_all(cls="hll")
    assert [m.text().strip() for m in marked] == [
        'name = os.environ["NAME"]',
        "print(name)",
    ]
    assert blocks[2].find(cls="codeblock-title").text() == "config.js"
    assert [m.text().strip() for m in blocks[2].find_all(cls="hll")] == [
        'title: "Docs",'
    ]
    assert "A --> B" in root.find("pre", cls="mermaid").text()  # diagram and code


def test_mdbook_includes_anchors_ranges_and_listings():
    page = render_fixture("mdbook.md")
    root = parse(page.html)
    codes = [c.text() for c in root.find_all("code") if c.find_all(cls="tok-k")]
    assert codes[0] == 'fn main() {\n    greet("world");\n}\n'
    assert codes[1] == 'fn main() {\n    greet("world");\n'
    assert codes[2].startswith("fn greet(name: &str)")
    assert "ANCHOR" not in page.html
    figure = root.find("figure", cls="listing")
    assert (
        figure.find("figcaption").text()
        == "Listing 1-1: A program that prints a greeting"
    )
    assert figure.find(cls="listing-file").text() == "Filename: src/main.rs"
    includes = [
        (link.target, link.broken) for link in page.links if link.kind == "include"
    ]
    assert includes == [
        ("src/main.rs", False), ("src/main.rs", False), ("src/main.rs", False),
        ("src/missing.rs", True),
    ]  # fmt: skip
    assert "Included file not found: src/missing.rs" in page.html


def test_includes_without_a_resolver_leave_no_raw_directive():
    page = render("{{#include a.rs}}\n", path="p.md")
    assert "{{#" not in page.html
    assert [link.kind for link in page.links] == ["include"]


def test_attribute_lists_anchors_and_github_heading_ids():
    page = render_fixture("attributes.md")
    root = parse(page.html)
    ids = [h.id for h in page.headings]
    assert ids[:3] == ["configuration", "options", "a--b"]
    assert ids[3] == (
        "this-heading-is-deliberately-much-longer-than-eighty-characters-so-that-"
        "truncation-would-show"
    )
    assert [e["text"] for e in page.toc][:2] == ["Options & Flags", "A & B"]
    assert [p.text() for p in root.find_all("p")][0] == "Some text."
    assert any(p.attrs.get("id") == "pinned" for p in root.find_all("p"))
    anchors = {a.attrs.get("name") for a in root.find_all("a") if a.attrs.get("name")}
    assert anchors == {"legacy-anchor", "named-anchor"}
    assert root.find("mark").text() == "Ctrl+S"
    details = root.find("details")
    assert details.find("summary").text() == "Advanced"
    assert details.find("strong").text() == "until"


def test_raw_html_images_are_resolved_and_checked_like_markdown_images():
    page = render_fixture("images.md")
    root = parse(page.html)
    srcs = [img.attrs.get("src") for img in root.find_all("img")]
    assert srcs[:2] == ["/wikis/w/img/wide.png", "/wikis/w/img/wide.png"]
    missing = root.find_all("img")[2]
    assert "broken-link" in missing.classes
    assert missing.attrs["title"] == "Image not found: img/missing.png"
    images = [(lk.target, lk.broken) for lk in page.links if lk.image]
    assert ("img/missing.png", True) in images and ("img/wide.png", False) in images
    assert srcs[3].startswith("https://img.shields.io/")


def test_text_full_of_colons_does_not_run_the_autolink_scanner(monkeypatch):
    """Emoji-like text made rendering quadratic: the scanner copied the paragraph."""
    from mdit_py_plugins.gfm_autolink import index as autolink

    from deepwiki.content.parser import build_markdown

    calls = []
    original = autolink._protocol_rule

    def counting(state, silent):
        calls.append(state.pos)
        return original(state, silent)

    monkeypatch.setattr(autolink, "_protocol_rule", counting)
    md = build_markdown()
    md.render(":tada: :x-y: 10:30:00 " * 200)
    assert calls == []
    assert 'href="https://example.org/a"' in md.render("see https://example.org/a")
    assert len(calls) == 1


def test_unclosed_bracket_math_is_scanned_once_per_paragraph(monkeypatch):
    """Many "\\(" without a "\\)" made each one rescan the rest of the paragraph."""
    from deepwiki.content.plugins import math as math_plugin

    searched = []

    class Src(str):
        def find(self, sub, *args):
            searched.append(sub)
            return str.find(self, sub, *args)

    state = type("State", (), {})()
    state.src, state.posMax = Src("\\( a " * 500), 2500
    for pos in range(0, 2500, 5):
        state.pos = pos
        assert math_plugin._bracket_inline(state, False) is False
    assert searched == ["\\)"]
