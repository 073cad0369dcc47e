"""Value objects the content pipeline returns; plain data, safe to cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

LinkKind = Literal["relative", "wikilink", "external", "anchor", "include"]


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading of the page, in document order."""

    id: str
    text: str
    level: int


@dataclass(frozen=True, slots=True)
class Section:
    """Plain text under one heading: the unit the search index stores."""

    anchor: str
    heading: str
    text: str
    level: int
    # The same text split for search: prose (snippets come from it) and the
    # contents of code and Mermaid blocks (searchable, never a snippet).
    prose: str | None = field(default=None, compare=False)
    code: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Link:
    """One outgoing link or image reference found in the page."""

    target: str
    kind: LinkKind
    resolved_url: str | None
    broken: bool
    image: bool = False


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """Everything the product needs from one Markdown file."""

    html: str
    title: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    toc: list[dict[str, Any]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
