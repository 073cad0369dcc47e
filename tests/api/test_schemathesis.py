"""Property-based run of the whole OpenAPI document against the live Django app.

Bounded and deterministic: a few cases per operation (a few hundred in all),
derandomized, no example database. Every response must be documented (status
code, content type, body schema) and none may be a 5xx.
"""

from __future__ import annotations

from collections import Counter

import pytest

try:
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
except ImportError:  # pragma: no cover - a dev dependency
    schemathesis = None

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

pytestmark = pytest.mark.django_db
CASES_PER_OPERATION = 4


def _checks() -> list:
    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


@pytest.fixture
def wsgi_app():
    """The real WSGI application, sharing the test's database transaction."""
    # Like Django's test client: keep the test transaction's connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(operation, headers: dict) -> list[int]:
    calls: list[int] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=CASES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # The WSGI transport does not inflate gzip: ask for plain bodies.
        response = case.call(headers={**headers, "Accept-Encoding": "identity"})
        calls.append(response.status_code)
        case.validate_response(response, checks=_checks())

    check()
    return calls


def test_every_operation_answers_only_documented_responses(wsgi_app, user, token_for):
    if schemathesis is None:
        from conftest import missing_service

        missing_service("schemathesis is not installed (pip install -e '.[dev]')")
    from deepwiki.wikis.services import IncomingFile, wiki_import

    files = [IncomingFile("index.md", b"# Home\n"), IncomingFile("a.md", b"# A\n")]
    wiki_import(owner=user, files=files)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    statuses: list[int] = []
    for result in schema.get_all_operations():
        statuses += _run(result.ok(), headers)
    print(f"{len(statuses)} cases:", Counter(statuses))  # noqa: T201
    assert 150 <= len(statuses) <= 600
    assert 200 in statuses and 404 in statuses and 422 in statuses
