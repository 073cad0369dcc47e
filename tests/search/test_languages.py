"""Every language: CJK text found by any run of characters; accents optional."""

from __future__ import annotations

import pytest

from .conftest import paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def multilingual(user, make_wiki):
    return make_wiki(
        user,
        {
            "pages.zh/tar.md": "# tar\n\n创建一个新的压缩文件。\n",
            "pages.ja/docker.md": "# docker\n\n実行中のコンテナを一覧表示する。\n",
            "pages.ko/git.md": "# git\n\n로컬 브랜치를 삭제합니다.\n",
            "pages.fr/ping.md": "# ping\n\nVérifier la connexion réseau.\n",
            "pages/tar.md": "# tar\n\nCreate a new compressed archive.\n",
        },
        title="Cheat sheets",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("压缩文件", "pages.zh/tar.md"),  # a run inside a longer Chinese sentence
        ("压缩", "pages.zh/tar.md"),
        ("コンテナ", "pages.ja/docker.md"),
        ("브랜치", "pages.ko/git.md"),
    ],
)
def test_cjk_query_finds_the_page_that_contains_it(
    user, multilingual, search_as, query, expected
):
    assert paths(search_as(user, query))[:1] == [expected]


def test_cjk_query_does_not_match_scattered_characters(user, multilingual, search_as):
    assert search_as(user, "文压")["total"] == 0


def test_unaccented_query_matches_accented_text(user, multilingual, search_as):
    assert paths(search_as(user, "verifier reseau")) == ["pages.fr/ping.md"]
    assert paths(search_as(user, "vérifier réseau")) == ["pages.fr/ping.md"]


def test_page_language_comes_from_folder_front_matter_or_script(user, make_wiki):
    from deepwiki.search.models import SearchEntry

    make_wiki(
        user,
        {
            "pages.fr/a.md": "# A\n\nBonjour.\n",
            "b.md": "---\nlang: de\n---\n# B\n\nHallo.\n",
            "c.md": "# C\n\n这是中文。\n",
            "d.md": "# D\n\nHello.\n",
        },
        title="Languages",
    )
    langs = dict(SearchEntry.objects.filter(kind="page").values_list("path", "lang"))
    assert langs == {"pages.fr/a.md": "fr", "b.md": "de", "c.md": "zh", "d.md": ""}
