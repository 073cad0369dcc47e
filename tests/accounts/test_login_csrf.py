"""No login CSRF: session-creating API endpoints refuse cross-site posts (item 4).

A page on another site can make a visitor's browser POST a `text/plain` form whose
body is JSON. /api/auth/login and /api/auth/register must not sign the browser
in that way; same-origin JSON (the site's own pages, scripts) keeps working.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EVIL = "http://evil.example"
REGISTRATION = {
    "email": "mallory@example.com",
    "password": "Mall0ry-Secret-x",
    "password_confirm": "Mall0ry-Secret-x",
}


def _signed_in(client: Client) -> bool:
    return client.get("/api/auth/me").status_code == 200


@pytest.fixture
def browser_client():
    """Django's test client with CSRF checks on, as a browser gets them."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"],
)
@pytest.mark.parametrize("with_origin", [True, False])
def test_cross_site_form_post_cannot_sign_a_browser_in(
    browser_client, user, password, content_type, with_origin
):
    body = json.dumps({"email": user.email, "password": password})
    headers = {"HTTP_ORIGIN": EVIL, "HTTP_SEC_FETCH_SITE": "cross-site"}
    response = browser_client.generic(
        "POST",
        "/api/auth/login",
        body,
        content_type=content_type,
        **(headers if with_origin else {}),
    )
    assert response.status_code in (403, 415, 422)
    assert not _signed_in(browser_client)


def test_cross_site_text_plain_registration_creates_no_account_and_no_session(
    browser_client,
):
    from deepwiki.accounts.models import User

    response = browser_client.generic(
        "POST",
        "/api/auth/register",
        json.dumps(REGISTRATION),
        content_type="text/plain",
        HTTP_ORIGIN=EVIL,
    )
    assert response.status_code == 415
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert not User.objects.filter(email="mallory@example.com").exists()
    assert not _signed_in(browser_client)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": EVIL},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
@pytest.mark.parametrize("path", ["/api/auth/login", "/api/auth/register"])
def test_json_from_another_origin_is_refused(
    browser_client, user, password, headers, path
):
    payload = (
        {"email": user.email, "password": password}
        if path.endswith("login")
        else REGISTRATION
    )
    response = browser_client.post(
        path, json.dumps(payload), content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "CROSS_SITE_REQUEST"
    assert not _signed_in(browser_client)


def test_same_origin_json_signs_in(browser_client, user, password):
    response = browser_client.post(
        "/api/auth/login",
        json.dumps({"email": user.email, "password": password}),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    assert _signed_in(browser_client)


def test_scripts_without_browser_headers_can_still_sign_in_and_register(
    browser_client, user, password
):
    login = browser_client.post(
        "/api/auth/login",
        json.dumps({"email": user.email, "password": password}),
        content_type="application/json",
    )
    assert login.status_code == 200
    registered = Client(enforce_csrf_checks=True).post(
        "/api/auth/register", json.dumps(REGISTRATION), content_type="application/json"
    )
    assert registered.status_code == 201
