"""Callouts, tabs, math and included files are found by search, as text."""

from __future__ import annotations

import pytest

from deepwiki.search.indexer import rebuild
from deepwiki.search.models import SearchEntry

from .conftest import paths
from .test_index_consistency import snapshot

pytestmark = pytest.mark.django_db

FILES = {
    "index.md": "# Home\n\nWelcome.\n",
    "guide.md": (
        '# Guide\n\n!!! warning "Marmalade limits"\n    Jars hold quinces.\n\n'
        '=== "Walrus tab"\n\n    Tabbed narwhal text.\n\n'
        "> [!TIP]\n> Alerts mention kumquats.\n\n"
        "Energy $E=mc^2$ here.\n\n```rust\n{{#include code/lib.txt:x}}\n```\n"
    ),
    "code/lib.txt": "// ANCHOR: x\nfn pangolin() {}\n// ANCHOR_END: x\n",
}


@pytest.mark.parametrize(
    "word", ["marmalade", "quinces", "walrus", "narwhal", "kumquats", "pangolin"]
)
def test_dialect_text_is_searchable(user, make_wiki, search_as, word):
    make_wiki(user, FILES)
    assert "guide.md" in paths(search_as(user, word))


def test_math_is_indexed_as_its_tex_source(user, make_wiki):
    wiki = make_wiki(user, FILES)
    bodies = " ".join(
        SearchEntry.objects.filter(wiki_id=wiki.pk, path="guide.md").values_list(
            "body", flat=True
        )
    )
    assert "E=mc^2" in bodies and "!!!" not in bodies and "===" not in bodies


def test_a_full_rebuild_indexes_includes_like_a_write(user, make_wiki):
    wiki = make_wiki(user, FILES)
    before = snapshot(wiki)
    rebuild(wiki=wiki)
    assert snapshot(wiki) == before
