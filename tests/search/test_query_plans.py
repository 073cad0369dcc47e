"""The query plan of every search statement starts from the full-text index.

Symptom this guards against: on SQLite the count query started from the wiki's
entries (through the wiki_id index) and evaluated FTS5 MATCH once per entry,
seconds per search on a large wiki. Runs on both engines.
"""

from __future__ import annotations

import pytest
from django.db import connection

from deepwiki.search import selectors

pytestmark = pytest.mark.django_db

QUERIES = ["kubernetes", "install nodes", '"object storage"', "kube", "restor", "zzyzx"]


@pytest.fixture
def wiki(user, make_wiki):
    pages = {
        f"guide/page-{i}.md": f"# Page {i}\n\nKubernetes install nodes {i}.\n\n"
        f"## Restore {i}\n\nNightly backup to object storage.\n"
        for i in range(12)
    }
    return make_wiki(user, pages, title="Kubernetes handbook")


@pytest.fixture
def statements():
    """Every (sql, params) the search selectors send, captured as executed."""
    seen: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        yield seen


def _search_statements(seen) -> list[tuple[str, tuple]]:
    markers = ("search_fts MATCH", "@@")
    return [
        (sql, params)
        for sql, params in seen
        if "search_searchentry" in sql and any(m in sql for m in markers)
    ]


def _run_everything(user, monkeypatch) -> None:
    """Run searches on both paths (exact and windowed ranking) and suggestions."""
    for query in QUERIES:
        selectors.search_results(user=user, query=query)
        selectors.search_suggestions(user=user, query=query)
    monkeypatch.setattr(f"{_backend_module()}.RANK_WINDOW", 2)  # the large-result path
    for query in QUERIES[:3]:
        selectors.search_results(user=user, query=query, limit=5)


def _backend_module() -> str:
    name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    return f"deepwiki.search.backends.{name}"


def _sqlite_plan(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[3] for row in cursor.fetchall()]


def _postgres_plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        # A test table is tiny, where a sequential scan is always cheapest:
        # forbid it to see which index the planner would use at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        return plan


def test_every_search_statement_starts_from_the_text_index(
    user, wiki, statements, monkeypatch, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    _run_everything(user, monkeypatch)
    checked = _search_statements(statements)
    assert len(checked) >= 10
    for sql, params in checked:
        if connection.vendor == "sqlite":
            plan = _sqlite_plan(sql, params)
            tables = [
                d
                for d in plan
                if d.startswith(("SCAN", "SEARCH")) and "(subquery" not in d
            ]
            assert tables[0].startswith("SCAN search_fts VIRTUAL TABLE"), (sql, plan)
            for step in tables[1:]:
                # every other table is read by key, once per FTS match
                assert "USING INTEGER PRIMARY KEY" in step or "USING INDEX" in step
                assert not step.startswith("SCAN"), (sql, plan)
            assert not any("search_entry_wiki_kind" in d for d in plan), (sql, plan)
        else:
            plan = _postgres_plan(sql, params)
            assert "search_entry_wiki_kind" not in plan, (sql, plan)
            assert "Seq Scan on search_searchentry" not in plan, (sql, plan)
            by_text = "vector" in plan or "svector" in plan
            by_id = "search_searchentry_pkey" in plan
            assert by_text or by_id, (sql, plan)


def test_total_is_bounded_on_a_common_word(user, make_wiki, monkeypatch, settings):
    from deepwiki.search.backends import base

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    monkeypatch.setattr(f"{_backend_module()}.COUNT_CAP", 5)
    monkeypatch.setattr(base, "COUNT_CAP", 5)
    make_wiki(user, {f"p{i}.md": f"# P{i}\n\ncommon word.\n" for i in range(9)})
    results = selectors.search_results(user=user, query="common")
    assert results.total == 5
    assert results.total_capped
