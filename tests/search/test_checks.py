"""The start-up check explains a missing FTS5 / pg_trgm instead of crashing later."""

from __future__ import annotations

import pytest
from django.db import connection

from deepwiki.search.checks import check_search_engine

pytestmark = pytest.mark.django_db


def test_a_working_engine_passes_the_check():
    assert check_search_engine(databases=["default"]) == []


def test_missing_search_tables_are_reported_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: FTS5 tables")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE search_fts")
    errors = check_search_engine(databases=["default"])
    assert [e.id for e in errors] == ["deepwiki.search.E001"]
    assert "deepwiki migrate" in errors[0].msg


def test_lost_sqlite_triggers_are_reported_and_reindex_restores_them(
    user, make_wiki, search_as
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: FTS5 triggers")
    from deepwiki.search.indexer import rebuild

    with connection.cursor() as cursor:
        for name in ("search_fts_ai", "search_fts_ad", "search_fts_au"):
            cursor.execute(f"DROP TRIGGER {name}")
    errors = check_search_engine(databases=["default"])
    assert [e.id for e in errors] == ["deepwiki.search.E001"]
    assert "deepwiki reindex" in errors[0].msg
    rebuild()
    assert check_search_engine(databases=["default"]) == []
    make_wiki(user, {"index.md": "# Otters\n\nRivers.\n"})
    assert search_as(user, "otters")["total"] >= 1


@pytest.mark.postgres
def test_missing_pg_trgm_is_reported_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: pg_trgm")
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")
    errors = check_search_engine(databases=["default"])
    assert [e.id for e in errors] == ["deepwiki.search.E001"]
    assert "CREATE EXTENSION pg_trgm" in errors[0].msg


@pytest.mark.postgres
def test_search_still_answers_without_pg_trgm(user, make_wiki, search_as):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: pg_trgm")
    make_wiki(user, {"index.md": "# Kubernetes\n\nclusters\n"})
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")
    assert search_as(user, "kubernetes")["total"] >= 1
    assert search_as(user, "kuberntes")["total"] == 0  # no typo help, but no error


def test_the_check_skips_other_databases():
    assert check_search_engine(databases=["other"]) == []
