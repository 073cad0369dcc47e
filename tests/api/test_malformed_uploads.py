"""Malformed multipart requests to both upload endpoints are 4xx with the error shape.

Each of these answered 500 before (issue 11, item 7): a part header over
Django's 1 KB limit, `multipart/form-data` without a boundary, more files than
DATA_UPLOAD_MAX_NUMBER_FILES. Both authentications are tried: with a session
the CSRF check reads the body first, with a bearer token the upload parser does.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db
SHAPE = {"error", "code", "details"}
BOUNDARY = "dwboundary"


@pytest.fixture
def wiki(make_wiki_for_alice):
    return make_wiki_for_alice


@pytest.fixture
def make_wiki_for_alice(user):
    from deepwiki.wikis.services import IncomingFile, wiki_import

    return wiki_import(owner=user, files=[IncomingFile("index.md", b"# Home\n")])


@pytest.fixture(params=["token", "session"])
def client_for(request, user, token_for):
    """A client of alice's, signed in by bearer token or by session (+ CSRF)."""
    if request.param == "token":
        return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/wikis/-/upload")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


@pytest.fixture(params=["new", "into"])
def url(request, wiki):
    return (
        "/api/wiki/upload"
        if request.param == "new"
        else f"/api/wiki/{wiki.slug}/upload"
    )


def assert_error(response, statuses):
    assert response.status_code in statuses, response.content[:500]
    body = response.json()
    assert set(body) == SHAPE and body["error"]
    return body


def raw_part(disposition: str, data: bytes = b"# Hi\n") -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
            "Content-Type: text/markdown\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_part_header_over_1_kb_is_400(client_for, url):
    client, headers = client_for
    name = "a" * 2000 + ".md"
    body = raw_part(f'form-data; name="files"; filename="{name}"')
    response = client.generic(
        "POST",
        url,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **headers,
    )
    assert_error(response, {400})


def test_multipart_without_boundary_is_400(client_for, url):
    client, headers = client_for
    body = raw_part('form-data; name="files"; filename="a.md"')
    response = client.generic(
        "POST", url, body, content_type="multipart/form-data", **headers
    )
    assert_error(response, {400})


def test_more_files_than_allowed_is_413(client_for, url, settings):
    client, headers = client_for
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"p{i}.md", b"# P\n") for i in range(5)]
    response = client.post(url, {"files": files}, **headers)
    body = assert_error(response, {413})
    assert body["details"]["rule"] == ["file-count-limit"]
    assert "3" in body["error"]
