"""Unclosed raw HTML cannot eat a page: the rest renders and the TOC matches the body."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepwiki.content import render
from deepwiki.content.rawhtml import balance, swallows

from .htmltools import parse
from .test_properties import MARKDOWNISH, SETTINGS
from .test_security import assert_safe

OPENERS = [
    "<style>",
    "<textarea>",
    "<script>",
    "<title>",
    "<xmp>",
    "<iframe>",
    "<noembed>",
    "<noframes>",
    "<noscript>",
    "<plaintext>",
    "<select>",
    "<template>",
    "<object>",
    "<svg>",
    "<math>",
    "<!--",
    '<style type="text/css">',
    "<STYLE>",
]
# Where the opener sits: its own block, a block that starts with it and goes
# on, inside a paragraph, a heading, a list item, a quote and a table cell.
PLACES = {
    "block": "{o}\n",
    "block-with-text": "{o}\n.x {{ color: red }}\n",
    "paragraph": "Some text {o} more text\n",
    "heading": "## Broken {o} heading\n",
    "list-item": "- item {o}\n- {o}\n",
    "quote": "> {o}\n> quoted\n",
    "table-cell": "| a | b |\n|---|---|\n| {o} | x |\n",
    "no-blank-line-after": "{o}\n## After\n",
}
AFTER = "\n## After\n\nStill here.\n\n### Deeper\n\nThe end.\n"


def assert_rest_renders(source: str) -> None:
    page = render(source, path="page.md")
    root = parse(page.html)
    text = root.text()
    assert "Still here." in text or "After" in text, page.html
    assert "The end." in text, page.html
    ids = {e.attrs.get("id") for e in root.iter()}
    for heading in page.headings:
        assert heading.id in ids, (heading, page.html)
    for entry in page.toc:
        assert entry["id"] in ids
        assert all(child["id"] in ids for child in entry["children"])
    assert_safe(page.html)


@pytest.mark.parametrize("opener", OPENERS)
@pytest.mark.parametrize("place", PLACES)
def test_unclosed_raw_html_does_not_remove_the_rest_of_the_page(opener, place):
    source = "# Title\n\nIntro.\n\n" + PLACES[place].format(o=opener) + AFTER
    assert_rest_renders(source)


@pytest.mark.parametrize(
    "source",
    [
        '<div title="never closed\n\n## After\n\nStill here.\n\nThe end.\n',
        "<div\n\n## After\n\nStill here.\n\nThe end.\n",
        "<a href='x\n\n## After\n\nStill here.\n\nThe end.\n",
        "<div>\n<style>\n</div>\n\n## After\n\nStill here.\n\nThe end.\n",
        "<div>\n<!-- note\n</div>\n\n## After\n\nStill here.\n\nThe end.\n",
        "<!-->\n\n## After\n\nStill here.\n\nThe end.\n",
        "<?php echo 1;\n\n## After\n\nStill here.\n\nThe end.\n",
        "<![CDATA[ x\n\n## After\n\nStill here.\n\nThe end.\n",
        "<!DOCTYPE html\n\n## After\n\nStill here.\n\nThe end.\n",
        "<svg><style>\n\n## After\n\nStill here.\n\nThe end.\n",
        "<select><option>\n\n## After\n\nStill here.\n\nThe end.\n",
        "<template><textarea>\n\n## After\n\nStill here.\n\nThe end.\n",
    ],
)
def test_unterminated_tags_and_nested_openers_do_not_remove_the_rest(source):
    assert_rest_renders(source)


def test_heading_after_an_unclosed_style_is_in_the_body_and_the_toc():
    page = render(
        "# T\n\n<style>\nh2 { color: red }\n\n## Lost\n\nText.\n", path="a.md"
    )
    assert [h.text for h in page.headings] == ["T", "Lost"]
    assert 'id="lost"' in page.html and "<p>Text.</p>" in page.html
    assert "color: red" not in page.html  # the style is still removed


def test_unclosed_plaintext_is_shown_as_text():
    page = render("<plaintext>\n\nNext.\n", path="a.md")
    assert "&lt;plaintext&gt;" in page.html and "<p>Next.</p>" in page.html


# --- what was balanced before is rendered as before --------------------------------


@pytest.mark.parametrize(
    "source, present, absent",
    [
        ("a <style>b</style> c\n", ["a", "c"], ["b"]),
        ("<style>\nh1 {}\n</style>\n\nAfter.\n", ["After."], ["h1 {}"]),
        ("<!-- hidden -->\n\nShown.\n", ["Shown."], ["hidden"]),
        ("<!--\n\n## Commented out\n\n-->\n\nShown.\n", ["Shown."], ["Commented"]),
        ("<textarea>\nx\n\ny\n</textarea>\n\nShown.\n", ["Shown."], ["x", "y"]),
        ("<details>\n<summary>More</summary>\n\n## Inside\n\n</details>\n", [], []),
        ("<div>\n\n*em*\n\n</div>\n", ["em"], []),
    ],
)
def test_closed_raw_html_renders_as_before(source, present, absent):
    page = render(source, path="a.md")
    text = parse(page.html).text()
    for word in present:
        assert word in text
    for word in absent:
        assert word not in text
    for heading in page.headings:
        assert f'id="{heading.id}"' in page.html
    assert_safe(page.html)


def test_details_around_markdown_keeps_its_structure():
    page = render(
        "<details>\n<summary>More</summary>\n\n## Inside\n\n</details>\n", path="a.md"
    )
    details = parse(page.html).find("details")
    assert details.find("summary").text() == "More"
    assert details.find("h2").attrs["id"] == "inside"


def test_balance_closes_or_escapes_and_never_swallows():
    assert balance("<div>") == "<div>"
    assert balance("<style>x") == "<style>x</style>"
    assert balance("<!-- x") == "<!-- x-->"
    assert balance("<svg><style>") not in ("<svg><style>",)
    assert balance("<plaintext>") == "&lt;plaintext&gt;"
    assert balance('<div title="x') == "&lt;div title=&quot;x"
    for html in ("<style>x", "<!-- x", "<select><option>", "<plaintext>", "<p a='"):
        assert swallows(html)
        assert not swallows(balance(html))


RAW = st.sampled_from(
    [
        *OPENERS,
        "</style>",
        "</textarea>",
        "-->",
        "<div>",
        "</div>",
        '<div title="',
        "<p",
        "<details>",
        "</details>",
        "<!---->",
        "<a href='",
        "<pre>",
        "</pre>",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(MARKDOWNISH, RAW), max_size=12).map("".join))
def test_any_raw_html_leaves_the_closing_section_and_toc_intact(source):
    page = render(source + "\n\n## Closing section\n\nThe final words.\n", path="a.md")
    root = parse(page.html)
    ids = {e.attrs.get("id") for e in root.iter()}
    assert all(h.id in ids for h in page.headings), page.html
    assert "The final words." in root.text(), page.html
    assert_safe(page.html)


@pytest.mark.parametrize("opener", OPENERS)
def test_toc_text_of_a_heading_with_raw_html_is_what_the_heading_shows(opener):
    page = render(f"## Broken {opener} heading\n\n## Next\n", path="a.md")
    root = parse(page.html)
    for entry in page.toc:
        element = next(e for e in root.iter() if e.attrs.get("id") == entry["id"])
        shown = element.text().removesuffix("#")
        assert " ".join(shown.split()) == " ".join(entry["text"].split()), page.html


def test_text_inside_a_removed_inline_element_is_not_in_the_heading_text():
    page = render("## Setup <style>.x{}</style> guide\n", path="a.md")
    assert page.headings[0].text == "Setup  guide"
    assert ".x{}" not in page.html
