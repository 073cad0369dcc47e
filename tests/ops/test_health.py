import json
import re

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_storage(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["version"]
    assert body["environment"]
    assert body["uptime"] >= 0
    for name in ("database", "cache", "storage"):
        assert body["checks"][name]["status"] == "up"
        assert body["checks"][name]["latency_ms"] >= 0
    assert body["checks"]["database"]["vendor"] == connection.vendor


def test_health_is_503_unhealthy_when_the_database_is_unreachable(client, monkeypatch):
    from deepwiki.ops import health

    def broken():
        raise (
            health.connection.OperationalError
            if False
            else RuntimeError("connection refused")
        )

    def probe_fails():
        return {
            "status": "down",
            "latency_ms": 1.0,
            "error": "OperationalError: connection refused",
        }

    monkeypatch.setattr(health, "check_database", probe_fails)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"


def test_livez_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200


def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_every_response_has_a_request_id_and_security_headers(client):
    response = client.get("/accounts/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "Server" not in response


def test_incoming_request_id_is_ignored_unless_proxy_is_trusted(client, settings):
    response = client.get("/livez", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] != "abc-123"


def test_access_log_line_is_json_with_request_fields(client, capsys, settings):
    import logging.config

    from deepwiki.ops.logging import build_logging_config

    logging.config.dictConfig(build_logging_config(level="INFO", fmt="json"))
    try:
        response = client.get("/accounts/login/")
        err = capsys.readouterr().err
    finally:
        logging.config.dictConfig(build_logging_config(level="INFO", fmt="console"))
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry.get("logger") == "deepwiki.access"]
    assert access, err
    entry = access[-1]
    assert entry["method"] == "GET"
    assert entry["path"] == "/accounts/login/"
    assert entry["status"] == 200
    assert entry["request_id"] == response["X-Request-ID"]
    assert {"level", "message", "timestamp", "duration_ms"} <= set(entry)


def test_reset_tokens_are_redacted_from_logged_paths():
    from deepwiki.ops.middleware import redact_path

    assert (
        redact_path("/accounts/reset/MQ/abc-123def/")
        == "/accounts/reset/MQ/[redacted]/"
    )


def test_metrics_exposes_request_counters(client):
    client.get("/livez")
    body = client.get("/metrics").content.decode()
    assert (
        'deepwiki_http_requests_total{method="GET",route="livez",status="200"}' in body
    )


def test_metrics_token_is_enforced_when_configured(client, settings):
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200
