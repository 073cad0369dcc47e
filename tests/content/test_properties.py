"""Property tests: any input renders, output is well-formed, sanitising is stable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepwiki.content import render, sanitize_html

from .htmltools import balance_problems, canonical, parse

MARKDOWNISH = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "# ",
                "## ",
                "### ",
                "\n",
                "\n\n",
                "- ",
                "1. ",
                "> ",
                "```",
                "```py\n",
                "```mermaid\n",
                "~~~",
                "    ",
                "|",
                "|---|",
                "[",
                "]",
                "(",
                ")",
                "[[",
                "]]",
                "|",
                "#",
                "*",
                "_",
                "`",
                "<",
                ">",
                "<div>",
                "</div>",
                "<img src=x>",
                "<script>",
                "&amp;",
                "&#",
                "---\n",
                "title: x\n",
                "[^1]",
                "[^1]: n",
                ": ",
                "- [ ] ",
                "- [x] ",
                "https://e.com",
                "www.x.org",
                "\t",
                "\\",
                "<a href='javascript:alert(1)'>",
                "![i](a.png)",
                "{linenos}",
                "\x00",
            ]
        ),  # fmt: skip
    ),
    max_size=30,
).map("".join)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text):
    page = render(text, path="p.md", resolve_link=lambda t, k: None)
    assert isinstance(page.html, str)


@SETTINGS
@given(MARKDOWNISH)
def test_output_is_well_formed(source):
    html = render(source, path="p.md").html
    assert balance_problems(html) == []


@SETTINGS
@given(MARKDOWNISH)
def test_sanitising_is_idempotent(source):
    once = sanitize_html(source)
    assert canonical(sanitize_html(once)) == canonical(once)


@SETTINGS
@given(MARKDOWNISH)
def test_rendered_html_is_stable_under_resanitising(source):
    html = render(source, path="p.md").html
    again = sanitize_html(html)
    # Only id values may change (the per-render id marker is gone).
    strip = lambda h: [  # noqa: E731
        (e.tag, sorted((k, v) for k, v in e.attrs.items() if k != "id"))
        for e in parse(h).iter()
    ]
    assert strip(again) == strip(html)


@SETTINGS
@given(st.lists(st.text(min_size=0, max_size=12), max_size=15))
def test_heading_ids_are_unique(titles):
    source = "\n\n".join(f"## {t.replace(chr(10), ' ')}" for t in titles)
    page = render(source, path="p.md")
    ids = [h.id for h in page.headings]
    assert len(ids) == len(set(ids))
    html_ids = [
        e.attrs["id"]
        for e in parse(page.html).iter()
        if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    assert html_ids == ids
