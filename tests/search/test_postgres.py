"""PostgreSQL specifics: weighted vectors, both text search configurations."""

from __future__ import annotations

import re

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (this run uses SQLite)")


def test_vectors_carry_title_heading_body_weights(user, make_wiki):
    make_wiki(user, {"index.md": "# Otters\n\n## Rivers\n\nswimming\n"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, vector::text FROM search_searchentry WHERE kind IN ('page', 'section')"
            " ORDER BY position"
        )
        rows = dict(cursor.fetchall())
    assert re.search(r"'otters':\d+A", rows["page"])
    assert re.search(
        r"'otter':\d+A", rows["page"]
    )  # english stem next to the exact form
    assert re.search(r"'rivers':\d+B", rows["section"])
    assert re.search(r"'swimming':\d+C", rows["section"])
    assert re.search(
        r"'otters':\d+(,|\s|$)", rows["section"]
    )  # page title as context (D)


def test_stemming_finds_other_word_forms(user, make_wiki, search_as):
    make_wiki(user, {"index.md": "# Ops\n\nWe are deploying it.\n"})
    assert search_as(user, "deployed")["total"] == 1


def test_stop_words_still_match_exactly(user, make_wiki, search_as):
    make_wiki(user, {"index.md": "# Bands\n\nThe Who played.\n"})
    assert search_as(user, '"the who"')["total"] == 1


def test_configurations_come_from_settings(settings, user, make_wiki, search_as):
    from deepwiki.search.backends.postgres import configs

    settings.DEEPWIKI_SEARCH_CONFIGS = ("simple",)
    assert configs() == ("simple",)
    settings.DEEPWIKI_SEARCH_CONFIGS = ("simple; DROP TABLE x", "german")
    assert configs() == ("german",)
