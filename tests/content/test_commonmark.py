"""CommonMark 0.31.2 spec examples through the pipeline (fixture from npm commonmark-spec).

The pipeline's own additions (heading ids and anchors, the code block widget,
highlighting spans, rel/class on external links) are normalised away before
comparing, the way the spec's own normaliser ignores attribute order and
insignificant whitespace.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deepwiki.content import render
from deepwiki.content.render import render_commonmark

SPEC = json.loads(
    (Path(__file__).parent / "fixtures" / "commonmark_spec.json").read_text()
)
EXAMPLES = SPEC["examples"]
THRESHOLD = 0.95
BLOCK = set(
    """address article aside blockquote body dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol
    p pre section summary table tbody td tfoot th thead tr ul""".split()
)
VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "area",
    "base",
    "col",
    "embed",
    "source",
}


class _Normaliser(HTMLParser):
    """Produce a comparable event list, dropping the pipeline's decorations."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.skip = 0  # depth inside a dropped subtree
        self.unwrap: list[bool] = []
        self.in_pre = 0

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        classes = set((attrs_d.get("class") or "").split())
        if self.skip:
            self.skip += tag not in VOID
            return
        if (
            "heading-anchor" in classes and tag == "a"
        ) or "codeblock-header" in classes:
            self.skip = 1
            return
        drop = tag == "span" and self.in_pre or "codeblock" in classes
        if tag not in VOID:
            self.unwrap.append(drop)
        if drop:
            return
        if tag == "pre":
            self.in_pre += 1
        for name in ("id", "class", "rel", "data-lang"):
            attrs_d.pop(name, None)
        self.events.append(("start", tag, tuple(sorted(attrs_d.items()))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= tag not in VOID
            return
        if tag in VOID:
            return
        if self.unwrap and self.unwrap.pop():
            return
        if tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.skip:
            return
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))


def normalise(html: str) -> list[tuple]:
    """Return events with whitespace next to block tags removed."""
    parser = _Normaliser()
    parser.feed(html)
    parser.close()
    events = parser.events
    out: list[tuple] = []
    for i, event in enumerate(events):
        if event[0] != "data" or parser.in_pre:
            out.append(event)
            continue
        text = event[1]
        prev = events[i - 1] if i else None
        nxt = events[i + 1] if i + 1 < len(events) else None
        if prev is None or (prev[1] in BLOCK and prev[1] != "pre"):
            text = text.lstrip()
        if nxt is None or (nxt[1] in BLOCK and nxt[1] != "pre"):
            text = text.rstrip()
        if text:
            out.append(("data", text))
    return out


def _passes(example: dict) -> bool:
    """Compare one example's normalised output with the spec's."""
    try:
        actual = render_commonmark(example["markdown"])
    except Exception:
        return False
    return normalise(actual) == normalise(example["html"])


def test_commonmark_spec_pass_rate():
    failures = [e["example"] for e in EXAMPLES if not _passes(e)]
    rate = 1 - len(failures) / len(EXAMPLES)
    print(f"\nCommonMark {len(EXAMPLES) - len(failures)}/{len(EXAMPLES)} = {rate:.1%}")
    print(f"failing examples: {failures}")
    assert len(EXAMPLES) > 600
    assert rate >= THRESHOLD, failures


def test_full_dialect_still_passes_most_of_the_spec():
    """The real render() (GFM extras on, unsanitised) diverges only where GFM does."""
    passed = sum(
        normalise(render(e["markdown"], path="spec.md", sanitize=False).html)
        == normalise(e["html"])
        for e in EXAMPLES
    )
    print(f"\nfull dialect {passed}/{len(EXAMPLES)} = {passed / len(EXAMPLES):.1%}")
    assert passed / len(EXAMPLES) >= THRESHOLD


@pytest.mark.parametrize("example", EXAMPLES, ids=[str(e["example"]) for e in EXAMPLES])
def test_spec_example_renders_with_sanitising_without_crashing(example):
    page = render(example["markdown"], path="spec.md")
    assert isinstance(page.html, str)
