"""Feature tests for deepwiki.content.render: every Markdown construct we promise."""

from __future__ import annotations

import textwrap

import pytest

from deepwiki.content import (
    RENDER_VERSION,
    Link,
    RenderedPage,
    Section,
    join_wiki_path,
    render,
    slugify,
)

from .htmltools import parse


def md(text: str, **kwargs) -> RenderedPage:
    """Render dedented Markdown at a default path."""
    kwargs.setdefault("path", "docs/page.md")
    return render(textwrap.dedent(text), **kwargs)


def test_render_version_is_a_positive_int():
    assert isinstance(RENDER_VERSION, int) and RENDER_VERSION >= 1


def test_rendered_page_is_frozen():
    page = md("hi")
    with pytest.raises(AttributeError):
        page.html = "x"  # type: ignore[misc]


# --- title, front matter -------------------------------------------------


def test_title_prefers_front_matter_then_h1_then_file_name():
    assert md("---\ntitle: From YAML\n---\n# Heading\n").title == "From YAML"
    assert md("intro\n\n# First\n\n# Second\n").title == "First"
    assert md("## only h2\n", path="guide/setup-notes.md").title == "setup-notes"


def test_front_matter_fields_are_parsed_and_hidden():
    page = md(
        """\
        ---
        title: Guide
        description: How to set up
        tags: [ops, setup, ops]
        date: 2024-05-01
        nested: {a: [1, 2]}
        ---
        Body text
        """
    )
    assert page.description == "How to set up"
    assert page.tags == ["ops", "setup"]
    assert page.meta["date"] == "2024-05-01"  # JSON-safe
    assert page.meta["nested"] == {"a": [1, 2]}
    assert "title:" not in page.html and "Guide" not in page.html
    assert parse(page.html).find("p").text() == "Body text"


def test_front_matter_tags_may_be_a_comma_separated_string():
    assert md("---\ntags: a, b ,c\n---\n").tags == ["a", "b", "c"]


@pytest.mark.parametrize(
    "front",
    [
        "title: [unclosed",
        "- a list\n- not a mapping",
        "!!python/object/apply:os.system ['echo hi']",
        "a: &a [*a]",
        "a: &a ['x','x','x','x','x','x','x','x','x']\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    ],
)
def test_invalid_or_hostile_front_matter_is_ignored(front):
    page = md(f"---\n{front}\n---\n# Title\n")
    assert page.meta == {}
    assert page.title == "Title"


# --- headings, TOC, sections --------------------------------------------


def test_headings_get_unique_ids_and_a_hover_anchor():
    page = md("# Intro\n\n## Setup\n\n## Setup\n\n## Setup\n")
    root = parse(page.html)
    ids = [h.attrs["id"] for h in root.iter() if h.tag in ("h1", "h2")]
    assert ids == ["intro", "setup", "setup-1", "setup-2"]
    anchor = root.find("h2").find("a", "heading-anchor")
    assert anchor.attrs["href"] == "#setup"
    assert anchor.attrs["aria-label"] == "Link to this section"
    assert anchor.text() == "#"


def test_heading_ids_are_unicode_friendly_and_never_empty():
    # GitHub drops the dash and keeps both spaces: "straße--ärger".
    assert slugify("Über Straße — Ärger!") == "über-straße--ärger"
    assert slugify("日本語 の 見出し") == "日本語-の-見出し"
    assert slugify("!!!") == "section"
    assert md("## 你好 世界\n").headings[0].id == "你好-世界"


def test_heading_text_excludes_markup_and_anchor():
    page = md("## Install `pip` *now*\n")
    assert page.headings[0].text == "Install pip now"
    assert page.headings[0].id == "install-pip-now"


def test_toc_nests_h3_under_h2_and_skips_other_levels():
    page = md("# T\n\n## A\n\n### A1\n\n#### deep\n\n### A2\n\n## B\n")
    assert page.toc == [
        {
            "id": "a",
            "text": "A",
            "level": 2,
            "children": [
                {"id": "a1", "text": "A1", "level": 3, "children": []},
                {"id": "a2", "text": "A2", "level": 3, "children": []},
            ],
        },
        {"id": "b", "text": "B", "level": 2, "children": []},
    ]
    assert [h.level for h in page.headings] == [1, 2, 3, 4, 3, 2]


def test_sections_split_plain_text_by_heading_with_an_intro():
    page = md(
        """\
        ---
        title: Doc
        ---
        Lead **text**.

        ## Install

        Run `pip install x`.

        ```sh
        make
        ```

        ## Use
        - one
        - two
        """
    )
    assert page.sections == [
        Section(anchor="", heading="Doc", text="Lead text.", level=0),
        Section(
            anchor="install",
            heading="Install",
            text="Run pip install x.\nmake",
            level=2,
        ),
        Section(anchor="use", heading="Use", text="one\ntwo", level=2),
    ]


def test_a_page_without_text_still_has_one_section():
    assert md("", path="empty.md").sections == [Section("", "empty", "", 0)]


# --- GFM extras ----------------------------------------------------------


def test_tables_keep_alignment_as_classes_not_styles():
    page = md("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    cells = parse(page.html).find_all("td")
    assert [c.classes for c in cells] == [
        {"align-left"},
        {"align-center"},
        {"align-right"},
    ]
    assert "style=" not in page.html


def test_strikethrough():
    assert parse(md("~~gone~~").html).find("s").text() == "gone"


def test_autolinks_link_urls_but_not_file_names():
    root = parse(
        md("Visit https://example.com/x or www.example.org; see README.md").html
    )
    hrefs = [a.attrs["href"] for a in root.find_all("a")]
    assert hrefs == ["https://example.com/x", "http://www.example.org"]


def test_task_lists_render_disabled_checkboxes():
    root = parse(md("- [ ] todo\n- [x] done\n").html)
    boxes = root.find_all("input")
    assert len(boxes) == 2
    assert all(b.attrs["type"] == "checkbox" and "disabled" in b.attrs for b in boxes)
    assert "checked" not in boxes[0].attrs and "checked" in boxes[1].attrs
    assert "contains-task-list" in root.find("ul").classes


def test_footnotes():
    root = parse(md("Text[^n].\n\n[^n]: The note.\n").html)
    ref = root.find("sup", "footnote-ref").find("a")
    assert ref.attrs["href"] == "#fn1"
    item = root.find("section", "footnotes").find("li")
    assert item.attrs["id"] == "fn1" and "The note." in item.text()


def test_definition_lists():
    root = parse(md("Term\n: Definition\n").html)
    assert root.find("dt").text() == "Term"
    assert root.find("dd").text() == "Definition"


# --- links ---------------------------------------------------------------


def test_external_links_get_rel_and_class():
    a = parse(md("[x](https://example.com)").html).find("a")
    assert a.attrs["rel"] == "noopener noreferrer"
    assert "external" in a.classes


def test_relative_links_are_resolved_through_the_callback():
    calls = []

    def resolve(target, kind):
        calls.append((target, kind))
        return "/wikis/w/guide/setup.md#install"

    page = md("[setup](../guide/setup.md#install)", resolve_link=resolve)
    assert calls == [("../guide/setup.md#install", "relative")]
    assert parse(page.html).find("a").attrs["href"] == "/wikis/w/guide/setup.md#install"
    assert page.links == [
        Link(
            "../guide/setup.md#install",
            "relative",
            "/wikis/w/guide/setup.md#install",
            False,
        )
    ]


def test_relative_targets_are_passed_percent_decoded():
    seen = []
    md("[a](<my file.md>)", resolve_link=lambda t, k: seen.append(t) or "/x")
    assert seen == ["my file.md"]


def test_unresolvable_links_are_marked_broken():
    page = md("[gone](missing.md)", resolve_link=lambda t, k: None)
    a = parse(page.html).find("a")
    assert "broken-link" in a.classes
    assert a.attrs["title"] == "Page not found: missing.md"
    assert page.links[0].broken is True


def test_without_a_resolver_relative_links_stay_as_written():
    page = md("[s](../guide/setup.md#install) ![i](img/a.png)")
    root = parse(page.html)
    assert root.find("a").attrs["href"] == "../guide/setup.md#install"
    assert root.find("img").attrs["src"] == "img/a.png"
    assert [link.broken for link in page.links] == [False, False]


def test_images_are_resolved_and_reported():
    page = md(
        "![ok](img/a.png) ![gone](img/b.png)",
        resolve_link=lambda t, k: "/files/a.png" if t.endswith("a.png") else None,
    )
    imgs = parse(page.html).find_all("img")
    assert imgs[0].attrs["src"] == "/files/a.png"
    assert "broken-link" in imgs[1].classes
    assert [(link.image, link.broken) for link in page.links] == [
        (True, False),
        (True, True),
    ]


def test_anchor_links_are_left_alone_and_reported():
    page = md("[up](#top)", resolve_link=lambda t, k: pytest.fail("no call"))
    assert parse(page.html).find("a").attrs["href"] == "#top"
    assert page.links == [Link("#top", "anchor", "#top", False)]


@pytest.mark.parametrize(
    ("source", "target", "label"),
    [
        ("[[Page name]]", "Page name", "Page name"),
        ("[[Page name|the label]]", "Page name", "the label"),
        (
            "[[Page name#Install steps]]",
            "Page name#Install steps",
            "Page name#Install steps",
        ),
    ],
)
def test_wikilinks_resolve_through_the_callback(source, target, label):
    calls = []

    def resolve(t, kind):
        calls.append((t, kind))
        return "/wikis/w/page.md"

    page = md(source, resolve_link=resolve)
    a = parse(page.html).find("a")
    assert calls == [(target, "wikilink")]
    assert a.attrs["href"] == "/wikis/w/page.md"
    assert a.text() == label
    assert "wikilink" in a.classes
    assert page.links == [Link(target, "wikilink", "/wikis/w/page.md", False)]


def test_missing_wikilink_is_broken():
    page = md("[[Nope]]", resolve_link=lambda t, k: None)
    a = parse(page.html).find("a")
    assert {"wikilink", "broken-link"} <= a.classes
    assert a.attrs["title"] == "Page not found: Nope"
    assert page.links[0].broken


def test_wikilink_text_cannot_smuggle_a_url_scheme():
    a = parse(md("[[javascript:alert(1)]]").html).find("a")
    assert not a.attrs["href"].lower().startswith("javascript:")


def test_join_wiki_path_resolves_relative_to_the_current_file():
    assert (
        join_wiki_path("docs/a/page.md", "../guide/setup.md#x") == "docs/guide/setup.md"
    )
    assert join_wiki_path("docs/page.md", "img/a.png") == "docs/img/a.png"
    assert join_wiki_path("docs/page.md", "/top.md") == "top.md"
    assert join_wiki_path("page.md", "../../etc/passwd") is None


# --- code ----------------------------------------------------------------


def test_code_fence_is_highlighted_with_label_and_copy_button():
    root = parse(md("```py\ndef f():\n    return 1\n```\n").html)
    block = root.find("div", "codeblock")
    assert block.attrs["data-lang"] == "py"
    assert block.find("span", "codeblock-lang").text() == "py"
    button = block.find("button", "copy-button")
    assert (
        button.attrs["type"] == "button" and button.attrs["aria-label"] == "Copy code"
    )
    code = block.find("pre", "highlight").find("code")
    assert code.text() == "def f():\n    return 1\n"
    assert "tok-k" in {c for s in code.find_all("span") for c in s.classes}


@pytest.mark.parametrize(
    "lang", ["js", "ts", "py", "sh", "yml", "bash", "json", "rust"]
)
def test_common_aliases_highlight(lang):
    code = parse(md(f"```{lang}\nx = 1 # y\n```\n").html).find("code")
    assert code.find_all("span"), lang


def test_unknown_language_falls_back_to_escaped_plain_text():
    root = parse(md("```nosuchlang\n<b>&\n```\n").html)
    code = root.find("code")
    assert code.text() == "<b>&\n"
    assert not code.find_all("span") and not code.find_all("b")


def test_line_numbers_via_info_string_do_not_enter_the_code_text():
    code = parse(md("```python {linenos}\na = 1\nb = 2\n```\n").html).find("code")
    numbers = code.find_all("span", "tok-ln")
    assert [n.attrs["data-line"] for n in numbers] == ["1", "2"]
    assert code.text() == "a = 1\nb = 2\n"


def test_mermaid_fence_becomes_escaped_pre():
    root = parse(md('```mermaid\ngraph TD; A["<b>x</b>"]-->B\n```\n').html)
    pre = root.find("pre", "mermaid")
    assert pre.text() == 'graph TD; A["<b>x</b>"]-->B\n'
    assert not pre.find_all("b")


def test_code_text_is_not_treated_as_markdown_or_html():
    page = md("```\n<script>alert(1)</script> [[Page]] *x*\n```\n")
    assert "<script" not in page.html
    assert page.links == []


# --- raw HTML --------------------------------------------------------------


def test_raw_html_ids_are_prefixed_and_heading_ids_kept():
    root = parse(md('## Title\n\n<div id="title">x</div>\n').html)
    assert root.find("h2").attrs["id"] == "title"
    assert root.find("div").attrs["id"] == "user-content-title"


def test_sanitize_false_keeps_raw_html():
    assert "<custom-tag>" in md("<custom-tag>x</custom-tag>\n", sanitize=False).html


def test_front_matter_meta_is_json_serialisable():
    import json

    page = md("---\na: .nan\nb: .inf\nc: 2024-01-02 10:00:00\n1: one\n---\n")
    assert json.loads(json.dumps(page.meta, allow_nan=False)) == page.meta
    assert page.meta["1"] == "one"
