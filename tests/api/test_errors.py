"""Bad input never produces a 500 or a stack trace; one error shape everywhere."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

SHAPE = {"error", "code", "details"}


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == SHAPE
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.content.decode()
    return body


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/auth/login", "{not json", content_type="application/json"
    )
    assert_error_shape(response, 400)


def test_wrong_types_are_422_with_field_details(client):
    response = client.post(
        "/api/auth/register",
        json.dumps({"email": 5, "password": ["x"], "confirmPassword": None}),
        content_type="application/json",
    )
    body = assert_error_shape(response, 422)
    assert "password" in body["details"]


def test_missing_fields_are_422(client):
    body = assert_error_shape(
        client.post("/api/auth/login", "{}", content_type="application/json"), 422
    )
    assert {"email", "password"} <= set(body["details"])


def test_huge_body_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/api/auth/login",
        json.dumps({"email": "a@b.c", "password": "x" * 5000}),
        content_type="application/json",
    )
    assert_error_shape(response, 413)


def test_unknown_api_path_is_404_json(client):
    body = assert_error_shape(client.get("/api/does-not-exist"), 404)
    assert body["code"] == "NOT_FOUND"


def test_wrong_method_is_405_json(client):
    body = assert_error_shape(client.get("/api/auth/login"), 405)
    assert body["code"] == "METHOD_NOT_ALLOWED"


def test_unauthenticated_is_401_json(client):
    assert_error_shape(client.get("/api/auth/me"), 401)


def test_session_post_without_csrf_is_refused(user):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    response = c.post(
        "/api/auth/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert set(response.json()) == SHAPE


def test_rate_limited_register_is_429(client):
    for i in range(12):
        response = client.post(
            "/api/auth/register",
            json.dumps(
                {
                    "email": f"u{i}@example.com",
                    "password": "bad",
                    "confirmPassword": "bad",
                }
            ),
            content_type="application/json",
        )
    assert_error_shape(response, 429)


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    email=st.text(max_size=300),
    password=st.text(max_size=300),
)
def test_unicode_oddities_in_every_field_never_500(client, email, password):
    from django.core.cache import cache

    cache.clear()  # keep the throttle out of the way
    for path, payload in [
        (
            "/api/auth/register",
            {"email": email, "password": password, "confirmPassword": password},
        ),
        ("/api/auth/login", {"email": email, "password": password}),
        ("/api/auth/reset-password/request", {"email": email}),
        (
            "/api/auth/reset-password/confirm",
            {
                "uid": email[:60],
                "token": password[:100],
                "password": password,
                "confirmPassword": password,
            },
        ),
    ]:
        response = client.post(
            path, json.dumps(payload), content_type="application/json"
        )
        assert response.status_code < 500, (path, payload, response.content)
        if response.status_code >= 400:
            assert set(response.json()) == SHAPE
