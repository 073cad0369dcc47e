"""A tiny DOM built with html.parser, so tests assert structure, not strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


@dataclass
class Element:
    """One element with its attributes and children (Elements or text)."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """Return the class list as a set."""
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """Return the concatenated text inside the element."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        """Yield every descendant element in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        """Return descendants matching a tag name and/or a class."""
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def find(self, tag: str | None = None, cls: str | None = None) -> Element:
        """Return the first match or fail the test."""
        found = self.find_all(tag, cls)
        assert found, f"no <{tag or '*'} class={cls}> in {self.tag}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]
        self.unbalanced: list[str] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()
        else:
            self.unbalanced.append(tag)

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """Parse an HTML fragment into an Element tree rooted at '#root'."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def balance_problems(html: str) -> list[str]:
    """Return end tags that did not match and elements left open."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    left_open = [e.tag for e in builder.stack[1:]]
    return builder.unbalanced + left_open


def canonical(html: str) -> tuple:
    """Return an order-insensitive-for-attributes structure for comparing HTML."""

    def walk(node: Element) -> tuple:
        kids = tuple(c if isinstance(c, str) else walk(c) for c in node.children)
        return (node.tag, tuple(sorted(node.attrs.items())), kids)

    return walk(parse(html))
