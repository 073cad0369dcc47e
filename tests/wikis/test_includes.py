"""mdBook includes resolve against the wiki tree at write time."""

from __future__ import annotations

import pytest

from deepwiki.wikis.models import Link, WikiFile

pytestmark = pytest.mark.django_db

BOOK = {
    "index.md": "# Book\n\n```rust\n{{#include code/hello.txt:main}}\n```\n\n"
    "{{#include code/missing.txt}}\n",
    "code/hello.txt": "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n",
}


def _page(wiki, path="index.md") -> WikiFile:
    return WikiFile.objects.get(wiki=wiki, path=path)


def test_include_is_filled_in_and_a_missing_target_is_a_broken_link(make_wiki):
    wiki = make_wiki(BOOK)
    html = _page(wiki).html
    assert "fn" in html and "main" in html and "{{#" not in html
    assert "ANCHOR" not in html
    links = {
        (link.target, link.broken)
        for link in Link.objects.filter(wiki=wiki, kind="include")
    }
    assert links == {("code/hello.txt", False), ("code/missing.txt", True)}


def test_changing_an_included_file_re_renders_the_page_that_includes_it(
    make_wiki, user
):
    from deepwiki.wikis.services import file_save

    wiki = make_wiki(BOOK)
    file_save(
        actor=user,
        wiki=wiki,
        path="code/hello.txt",
        content="// ANCHOR: main\nfn renamed_entry() {}\n// ANCHOR_END: main\n",
    )
    assert "renamed_entry" in _page(wiki).html


def test_adding_a_missing_include_target_fixes_the_page(make_wiki, user):
    from deepwiki.wikis.services import file_save

    wiki = make_wiki(BOOK)
    file_save(actor=user, wiki=wiki, path="code/missing.txt", content="now here\n")
    wiki.refresh_from_db()
    assert "now here" in _page(wiki).html
    assert not Link.objects.filter(wiki=wiki, kind="include", broken=True).exists()


def test_preview_resolves_includes_from_the_current_tree(make_wiki):
    from deepwiki.wikis.services.edits import render_preview

    wiki = make_wiki(BOOK)
    html = render_preview(
        wiki=wiki, path="draft.md", content="{{#include code/hello.txt:main}}\n"
    )
    assert "fn main() {}" in html
