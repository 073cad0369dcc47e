"""Filters for big wikis: path prefix, kind, language; facet counts (both engines)."""

from __future__ import annotations

import pytest

from .conftest import paths
from .test_contract import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def wiki(user, make_wiki):
    return make_wiki(
        user,
        {
            "pages/common/tar.md": "# tar\n\nArchive files with tar.\n",
            "pages/linux/tar-extract.md": "# tar extract\n\nExtract an archive.\n",
            "pages.fr/common/tar.md": "# tar\n\nCréer une archive.\n",
            "pages.zh/common/tar.md": "# tar\n\n创建一个新的 archive 文件。\n",
            "images/archive.png": PNG,
        },
        title="Cheat sheets",
    )


def test_path_prefix_in_the_query_limits_results(user, wiki, search_as):
    found = paths(search_as(user, "archive path:pages.fr/"))
    assert found == ["pages.fr/common/tar.md"]
    assert set(paths(search_as(user, "archive path:pages/"))) == {
        "pages/common/tar.md",
        "pages/linux/tar-extract.md",
    }


def test_language_filter(user, wiki, search_as):
    assert paths(search_as(user, "archive lang:zh")) == ["pages.zh/common/tar.md"]


def test_kind_filter_separates_pages_from_attachments(user, wiki, search_as):
    assert paths(search_as(user, "archive kind:files")) == ["images/archive.png"]
    assert "images/archive.png" not in paths(search_as(user, "archive kind:pages"))


def test_search_page_shows_facet_counts(user, wiki, client):
    client.force_login(user)
    html = client.get("/search", {"q": "archive"}).content.decode()
    assert "pages.fr/" in html and "pages/" in html
    assert "Images and attachments" in html
    assert "Chinese" in html and "French" in html


def test_facet_counts(user, wiki):
    from deepwiki.search.selectors import search_results

    facets = search_results(user=user, query="archive", facets=True).facets
    assert dict(facets.folders) == {
        "pages/": 2,
        "pages.fr/": 1,
        "pages.zh/": 1,
        "images/": 1,
    }
    assert dict(facets.kinds) == {"pages": 4, "files": 1}
    assert {c: n for c, _, n in facets.langs} == {"fr": 1, "zh": 1}
    deeper = search_results(
        user=user, query="archive path:pages/", facets=True
    ).facets.folders
    assert dict(deeper) == {"pages/common/": 1, "pages/linux/": 1}
