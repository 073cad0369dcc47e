"""One upload parser for the HTML forms and the API: the same rules, the same reasons.

Before, the HTML view silently fell back to file names when `paths` did not
match `files` (the API answered 400), and each transport had its own reader,
zip handling and size check.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .conftest import make_zip

pytestmark = pytest.mark.django_db


def md(name: str, text: str = "# Page\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/markdown")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def bearer(client, user, token_for):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}


def test_paths_not_matching_files_is_400_on_the_page_too(signed_in, nothing_stored):
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "files": [md("a.md"), md("b.md")],
            "paths": ["x/a.md"],
            "visibility": "private",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Got 2 files but 1 paths" in html and 'class="alert alert-error"' in html
    nothing_stored()


def test_paths_not_matching_files_is_400_in_the_api(client, bearer, nothing_stored):
    response = client.post(
        "/api/wiki/upload",
        {"files": [md("a.md"), md("b.md")], "paths": ["x/a.md"]},
        **bearer,
    )
    assert response.status_code == 400
    assert response.json()["details"]["rule"] == ["paths-mismatch"]
    nothing_stored()


def test_files_and_a_zip_together_are_refused_by_both(
    signed_in, client, bearer, nothing_stored
):
    archive = SimpleUploadedFile("w.zip", make_zip({"index.md": "# Z\n"}))
    page = signed_in.post(
        reverse("wiki_upload"),
        {"files": [md("a.md")], "archive": archive, "visibility": "private"},
    )
    assert page.status_code == 400
    assert "not both" in page.content.decode()
    archive.seek(0)
    api = client.post(
        "/api/wiki/upload", {"files": [md("a.md")], "archive": archive}, **bearer
    )
    assert api.status_code == 400
    assert api.json()["details"]["rule"] == ["files-and-zip"]
    nothing_stored()


def test_the_api_accepts_a_zip_in_the_archive_field_like_the_page(client, bearer):
    archive = SimpleUploadedFile("w.zip", make_zip({"top/index.md": "# Zipped\n"}))
    response = client.post("/api/wiki/upload", {"archive": archive}, **bearer)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Zipped"


def test_a_too_long_title_is_422_with_the_field_on_both(signed_in, client, bearer):
    page = signed_in.post(
        reverse("wiki_upload"),
        {"files": [md("index.md")], "title": "t" * 201, "visibility": "private"},
    )
    assert page.status_code == 422
    assert "Use at most 200 characters." in page.content.decode()
    api = client.post(
        "/api/wiki/upload", {"files": [md("index.md")], "title": "t" * 201}, **bearer
    )
    assert api.status_code == 422
    assert api.json()["details"] == {"title": ["Use at most 200 characters."]}


def test_a_json_body_to_the_upload_endpoint_is_400(client, bearer):
    response = client.post(
        "/api/wiki/upload", "{}", content_type="application/json", **bearer
    )
    assert response.status_code == 400
    assert response.json()["details"]["rule"] == ["not-multipart"]


def test_the_page_shows_the_render_budget_message(signed_in, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "render_bytes": 10}
    response = signed_in.post(
        reverse("wiki_upload"),
        {"files": [md("index.md", "# A long enough page\n")], "visibility": "private"},
    )
    assert response.status_code == 413
    assert "Split it into several uploads" in response.content.decode()


def test_a_large_upload_without_javascript_opens_the_wiki_when_done(
    signed_in, settings
):
    from deepwiki.wikis.models import Wiki

    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "inline_render_bytes": 5}
    response = signed_in.post(
        reverse("wiki_upload"),
        {"files": [md("index.md", "# Background\n\nText.\n")], "visibility": "private"},
    )
    wiki = Wiki.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/"
