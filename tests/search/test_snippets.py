"""Snippets come from the matched section's prose (both engines)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGE = """---
title: Agent setup
tags: [ops]
---
# Agent setup

Agents report health to the hub.

Older agents need the legacy port.

## Install

Install the agent on every node first.

```sh
frobnicate --agent --deploy
```

```mermaid
graph TD
  A[Deploy] --> B[Verify]
```

Then restart the deploy service.
"""


@pytest.fixture
def wiki(user, make_wiki):
    return make_wiki(
        user,
        {"agent.md": PAGE, "other.md": "# Other\n\nNothing.\n"},
        title="Ops handbook",
    )


def _first(search_as, user, q: str) -> dict:
    body = search_as(user, q)
    assert body["results"], q
    return body["results"][0]


def test_a_word_only_in_code_finds_the_section_but_the_snippet_is_prose(
    user, wiki, search_as
):
    hit = _first(search_as, user, "frobnicate")
    assert hit["url"].endswith("#install")
    assert "frobnicate" not in hit["snippet"]
    assert "Install the agent" in hit["snippet"]


def test_snippet_skips_mermaid_source(user, wiki, search_as):
    hit = _first(search_as, user, "deploy")
    assert "<mark>deploy</mark> service" in hit["snippet"]
    assert "graph" not in hit["snippet"] and "--&gt;" not in hit["snippet"]


def test_snippet_never_shows_front_matter(user, wiki, search_as):
    for q in ("agent", "agents", "setup"):
        assert "title:" not in _first(search_as, user, q)["snippet"]


def test_title_only_hit_shows_the_first_paragraph(user, wiki, search_as):
    hit = _first(search_as, user, "setup")
    assert hit["url"].endswith("/agent.md")
    assert hit["snippet"].startswith("Agents report health to the hub.")
