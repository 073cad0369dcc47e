"""Production defaults disclose nothing an attacker can use (issue 11, item 11)."""

import dataclasses
import re
import time

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, environment="production")
    settings.METRICS_TOKEN = ""
    return settings


def test_metrics_are_closed_in_production_without_a_token(client, production):
    response = client.get("/metrics")
    assert response.status_code == 403
    assert b"METRICS_TOKEN" in response.content
    assert b"deepwiki_http_requests_total" not in response.content


def test_metrics_open_to_the_token_in_production(client, production):
    production.METRICS_TOKEN = "metrics-s3cret"
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-s3cre")
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-s3cret")
    assert right.status_code == 200


def test_anonymous_health_shows_status_and_checks_only(client):
    body = client.get("/api/health").json()
    assert set(body) == {"status", "timestamp", "checks"}
    assert body["status"] == "healthy"
    assert body["checks"] == {
        "database": {"status": "up"},
        "cache": {"status": "up"},
        "storage": {"status": "up"},
    }


def test_anonymous_health_of_a_failing_dependency_hides_the_error(client, monkeypatch):
    from deepwiki.ops import health

    monkeypatch.setattr(
        health,
        "check_storage",
        lambda: {"status": "down", "latency_ms": 1, "error": "secret-host:9000 down"},
    )
    anonymous = client.get("/api/health").content.decode()
    assert "secret-host" not in anonymous
    assert client.get("/api/health").json()["checks"]["storage"] == {"status": "down"}
    assert "secret-host" not in client.get("/readyz").content.decode()


def test_admin_and_metrics_token_see_the_health_details(client, admin_user, settings):
    settings.METRICS_TOKEN = "metrics-s3cret"
    with_token = client.get(
        "/api/health", HTTP_AUTHORIZATION="Bearer metrics-s3cret"
    ).json()
    assert {"version", "environment", "process", "uptime"} <= set(with_token)
    client.force_login(admin_user)
    as_admin = client.get("/api/health").json()
    assert as_admin["checks"]["database"]["latency_ms"] >= 0
    assert "environment" in as_admin


def test_signed_in_non_admin_sees_no_health_details(client, user):
    client.force_login(user)
    assert set(client.get("/api/health").json()) == {"status", "timestamp", "checks"}


# --- a real `deepwiki serve` ----------------------------------------------------


def test_served_responses_have_no_server_header(live_instance):
    for path in ("/livez", "/accounts/login/", "/api/health", "/no-such-page"):
        answer = live_instance.client().get(path)
        assert "server" not in answer.headers, (path, answer.headers.get("server"))


def test_reset_link_of_serve_on_another_port_points_at_that_port(
    live_factory, smtp_server
):
    smtp_server.messages.clear()
    instance = live_factory(
        workers=1,
        env={
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_server.port),
            "SMTP_TLS": "false",
        },
    )
    answer = instance.client().post(
        "/api/auth/reset-password/request", json={"email": "user@deepwiki.com"}
    )
    assert answer.status == 200, answer.text
    deadline = time.monotonic() + 30
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert smtp_server.messages, "no reset e-mail arrived"
    mail = smtp_server.messages[-1]
    body = (mail.get_payload(decode=True) or b"").decode()
    if mail.is_multipart():
        body = mail.get_payload(0).get_payload(decode=True).decode()
    links = re.findall(r"https?://[^\s\"'<>]+/reset/[^\s\"'<>]+", body)
    assert links, body
    assert all(link.startswith(f"{instance.url}/") for link in links), links
