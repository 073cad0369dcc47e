"""Resolve links between the files of one wiki tree (for the renderer)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

from deepwiki.content import join_wiki_path, slugify
from deepwiki.content.frontmatter import meta_text, parse_front_matter
from deepwiki.wikis.paths import is_markdown_path

_FRONT = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
_INLINE_MARKUP = re.compile(r"[*_`~]|\[([^\]]*)\]\([^)]*\)")
_ANCHOR_SAFE = "-_.~!$&'()*+,;=:@/?"


def page_url(slug: str, path: str, anchor: str = "") -> str:
    """Return the URL of a file's page (Markdown) inside a wiki."""
    url = f"/wikis/{slug}/{quote(path, safe='/')}"
    return f"{url}#{quote(anchor, safe=_ANCHOR_SAFE)}" if anchor else url


def raw_url(slug: str, path: str) -> str:
    """Return the URL serving a file's raw bytes."""
    return f"/wikis/{slug}/-/raw/{quote(path, safe='/')}"


def file_url(slug: str, path: str, anchor: str = "") -> str:
    """Return the page URL for Markdown files and the raw URL for anything else."""
    return (
        page_url(slug, path, anchor) if is_markdown_path(path) else raw_url(slug, path)
    )


def quick_title(source: str, path: str) -> str:
    """Guess a page's title without rendering: front matter, first '# ', file stem."""
    match = _FRONT.match(source[:70000])
    body = source
    if match:
        title = meta_text(parse_front_matter(match.group(1)), "title")
        if title:
            return title
        body = source[match.end() :]
    in_fence = False
    for line in body.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence:
            h1 = _H1.match(line)
            if h1:
                return _INLINE_MARKUP.sub(
                    lambda m: m.group(1) or "", h1.group(1)
                ).strip()
    return posixpath.splitext(posixpath.basename(path))[0]


def _stem_key(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return re.sub(r"[-_\s]+", " ", stem).strip().casefold()


class TreeLinks:
    """The paths and titles of a tree, answering the renderer's resolve_link calls."""

    def __init__(self, slug: str, paths: list[str], titles: dict[str, str]) -> None:
        self.slug = slug
        self.paths = set(paths)
        self.folded = {p.casefold(): p for p in sorted(paths, reverse=True)}
        self.by_title: dict[str, str] = {}
        self.by_stem: dict[str, str] = {}
        for path in sorted(titles, reverse=True):  # first path wins on ties
            self.by_title[titles[path].strip().casefold()] = path
            self.by_stem[_stem_key(path)] = path

    def find_path(self, wanted: str) -> str | None:
        """Find a file by path: exact, with .md, folder index/README; any case."""
        wanted = wanted.rstrip("/")
        candidates = [
            wanted,
            f"{wanted}.md",
            f"{wanted}.markdown",
            posixpath.join(wanted, "index.md"),
            posixpath.join(wanted, "README.md"),
        ]
        for candidate in candidates:
            if candidate in self.paths:
                return candidate
        for candidate in candidates:
            found = self.folded.get(candidate.casefold())
            if found:
                return found
        return None

    def find_page(self, name: str) -> str | None:
        """Find a page for a wiki-link: by title, then path, then file name."""
        key = name.strip().casefold()
        if not key:
            return None
        path = self.by_title.get(key) or self.find_path(name.strip().lstrip("/"))
        return path or self.by_stem.get(re.sub(r"[-_\s]+", " ", key))

    def resolver(self, source_path: str) -> tuple:
        """Return (resolve_link, found) where found maps (target, kind) -> path."""
        found: dict[tuple[str, str], str] = {}

        def resolve(target: str, kind: str) -> str | None:
            if kind == "wikilink":
                name, _, section = target.partition("#")
                path = self.find_page(name)
                anchor = slugify(section) if section.strip() else ""
            else:
                joined = join_wiki_path(source_path, target)
                path = self.find_path(joined) if joined else None
                anchor = target.split("#", 1)[1] if "#" in target else ""
            if path is None:
                return None
            found[(target, kind)] = path
            return file_url(self.slug, path, anchor)

        return resolve, found
