"""Bodies above the upload limit are refused before anything parses them."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "upload_bytes": 1000}


def _big_upload(client, url="/api/wiki/upload", **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = SimpleUploadedFile("index.md", b"# Home\n" + b"x" * 5000)
    return client.post(url, {"files": [page]}, **headers)


def test_api_upload_over_the_limit_is_413_even_before_the_csrf_check(small_limit, user):
    # A session client without a CSRF token would get 403 if the body were
    # read first; the size check answers before that.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = _big_upload(client)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "PAYLOAD_TOO_LARGE"
    assert body["details"] == {"rule": ["upload-size-limit"]}
    assert "limit is 1000 B" in body["error"]


def test_page_request_over_the_limit_gets_the_error_page(small_limit, client):
    response = _big_upload(client, url="/accounts/login/")
    assert response.status_code == 413
    assert b"Too large" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_requests_within_the_limit_pass(small_limit, client):
    response = client.post("/api/wiki/upload", {"title": "x"})
    assert response.status_code in (401, 403)  # anonymous, but not 413
