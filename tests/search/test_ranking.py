"""Ranking rules: the page a reader means comes first (both engines)."""

from __future__ import annotations

import pytest

from .conftest import paths
from .test_contract import PNG

pytestmark = pytest.mark.django_db


def _cheat(name: str, mentions: int = 1) -> str:
    words = name.replace("-", " ")
    lines = "\n".join(
        f"- Run {words} with flag {k}: `{name} -{k}`" for k in range(mentions)
    )
    return f"# {name}\n\n> The {words} command.\n\n{lines}\n"


def test_exact_file_name_wins_over_longer_names_that_repeat_the_word(
    user, make_wiki, search_as
):
    files = {
        f"impacket/impacket-ping{k}.md": _cheat(f"impacket-ping{k} ping", 6)
        for k in range(12)
    }
    files["ping.md"] = _cheat("ping")
    make_wiki(user, files, title="Cheat sheets")
    assert paths(search_as(user, "ping"))[0] == "ping.md"


def test_title_words_equal_to_the_query_win(user, make_wiki, search_as):
    make_wiki(
        user,
        {
            "api-conventions.md": "# API conventions\n\nHow we name endpoints.\n",
            "style.md": "# Style\n\n" + "Follow the API conventions. " * 8,
            "review.md": "# Review\n\nCheck api conventions and api conventions.\n",
        },
        title="Handbook",
    )
    assert paths(search_as(user, "api conventions"))[0] == "api-conventions.md"


def test_shorter_exact_name_beats_a_longer_one(user, make_wiki, search_as):
    make_wiki(
        user,
        {
            "git-rebase-patch.md": _cheat("git-rebase-patch", 8),
            "git-rebase.md": _cheat("git-rebase"),
        },
        title="Cheat sheets",
    )
    assert paths(search_as(user, "git rebase"))[:2] == [
        "git-rebase.md",
        "git-rebase-patch.md",
    ]


def test_pages_outrank_images_found_by_name_only(user, make_wiki, search_as):
    make_wiki(
        user,
        {
            "images/topology.png": PNG,
            "images/topology-old.png": PNG,
            "network.md": "# Network\n\nThe topology of the office network.\n",
        },
    )
    found = paths(search_as(user, "topology"))
    assert found[0] == "network.md"
    assert set(found[1:]) == {"images/topology.png", "images/topology-old.png"}


def test_heading_match_ranks_above_body_match(user, make_wiki, search_as):
    make_wiki(
        user,
        {
            "a.md": "# Alpha\n\n## Intro\n\nWe rotate the tokens sometimes.\n",
            "b.md": "# Beta\n\n## Token rotation\n\nEvery quarter.\n",
        },
    )
    body = search_as(user, "rotation")
    assert body["results"][0]["file"]["path"] == "b.md"
    assert body["results"][0]["url"].endswith("#token-rotation")


def test_stop_words_are_not_highlighted(user, make_wiki, search_as):
    make_wiki(user, {"a.md": "# Alpha\n\nThe database of the team is here.\n"})
    snippet = search_as(user, "the database")["results"][0]["snippet"]
    assert "<mark>database</mark>" in snippet
    assert "<mark>The</mark>" not in snippet and "<mark>the</mark>" not in snippet


def test_a_quoted_word_is_never_corrected(user, make_wiki, search_as):
    make_wiki(user, {"a.md": "# Errors\n\nThe string was terminated early.\n"})
    body = search_as(user, '"unterminated')
    assert body["total"] == 0
    assert not body["corrected"]
    assert search_as(user, '"unterminated"')["total"] == 0
    # unquoted, the typo fix still helps
    assert search_as(user, "terminatd")["total"] == 1
