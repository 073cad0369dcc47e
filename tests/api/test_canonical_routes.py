"""Canonical /api/wikis routes, their /api/wiki aliases, and strictly typed bodies."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def wiki(user):
    from deepwiki.wikis.services import IncomingFile, wiki_import

    files = [
        IncomingFile("index.md", b"# Home\n\nSee [A](guide/a.md).\n"),
        IncomingFile("guide/a.md", b"# A\n"),
    ]
    return wiki_import(owner=user, files=files, visibility="internal")


PAIRS = [
    ("/api/wikis", "/api/wiki/list"),
    ("/api/wikis/{slug}", "/api/wiki/{slug}"),
    ("/api/wikis/{slug}", "/api/wiki/slug/{slug}"),
    ("/api/wikis/{slug}/files", "/api/wiki/{slug}/files"),
    ("/api/wikis/{slug}/files/guide/a.md", "/api/wiki/{slug}/file/guide/a.md"),
    ("/api/files/{file_id}", "/api/wiki/file/{file_id}"),
    ("/api/wikis/{slug}/versions", "/api/wiki/{slug}/versions"),
    ("/api/wikis/{slug}/versions/1", "/api/wiki/{slug}/versions/1"),
    (
        "/api/wikis/{slug}/versions/1/files/index.md",
        "/api/wiki/{slug}/versions/1/file/index.md",
    ),
    ("/api/wikis/{slug}/diff/1/1", "/api/wiki/{slug}/diff/1/1"),
    ("/api/search?q=home", "/api/wiki/search?q=home"),
    ("/api/search/suggestions?q=ho", "/api/wiki/search/suggestions?q=ho"),
    ("/api/stats/wikis", "/api/wiki/stats"),
]


@pytest.mark.parametrize("canonical, alias", PAIRS)
def test_alias_answers_exactly_like_the_canonical_route(
    api_as, user, wiki, canonical, alias
):
    c = api_as(user)
    file_id = wiki.files.get(path="index.md").pk
    first = c.get(canonical.format(slug=wiki.slug, file_id=file_id))
    second = c.get(alias.format(slug=wiki.slug, file_id=file_id))
    assert first.status_code == second.status_code == 200, first.content
    assert first.json() == second.json()
    if "search" not in canonical:
        assert first["ETag"] == second["ETag"]
        again = c.get(
            canonical.format(slug=wiki.slug, file_id=file_id),
            HTTP_IF_NONE_MATCH=first["ETag"],
        )
        assert again.status_code == 304


def test_a_wiki_named_like_a_collection_word_is_reachable_on_canonical_paths(
    api_as, user, wiki
):
    from deepwiki.wikis.models import Wiki

    Wiki.objects.filter(pk=wiki.pk).update(slug="list")
    c = api_as(user)
    one = c.get("/api/wikis/list")
    assert one.status_code == 200 and one.json()["slug"] == "list"
    assert c.get("/api/wikis/list/files").json()["entry_path"] == "index.md"
    # The alias keeps its reference meaning: the collection.
    assert "items" in c.get("/api/wiki/list").json()


def test_writes_work_on_canonical_paths(api_as, user, wiki):
    c = api_as(user)
    saved = c.put(f"/api/wikis/{wiki.slug}/files/new.md", {"content": "# New\n"})
    assert saved.status_code == 200, saved.content
    assert saved.json()["file"]["path"] == "new.md"
    assert saved.json()["version"]["number"] == 2
    meta = c.put(f"/api/wikis/{wiki.slug}", {"description": "About"})
    assert meta.status_code == 200 and meta.json()["description"] == "About"
    gone = c.delete(f"/api/wikis/{wiki.slug}/files/new.md")
    assert gone.status_code == 200 and gone.json()["version"]["number"] == 4
    bulk = c.delete("/api/wikis", {"wikiIds": [wiki.pk, 999999]})
    assert bulk.status_code == 200, bulk.content
    assert bulk.json()["results"] == [
        {"id": wiki.pk, "status": "deleted"},
        {"id": 999999, "status": "not_found"},
    ]


# --- strict bodies (issue 11, item 9) --------------------------------------------


@pytest.mark.parametrize("body", ['"renamed wiki"', "[1, 2]", "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_refused(api_as, user, wiki, body):
    response = api_as(user).put(f"/api/wiki/{wiki.slug}", body)
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "VALIDATION_ERROR" and data["details"]
    wiki.refresh_from_db()
    assert wiki.title == "Home" and wiki.current_version == 1


def test_unknown_fields_are_named_in_the_details(api_as, user, wiki):
    response = api_as(user).put(f"/api/wiki/{wiki.slug}", {"titel": "Typo"})
    assert response.status_code == 422
    assert "titel" in response.json()["details"]


@pytest.mark.parametrize("value", ["no", "false", 0, 1, "0", None])
def test_deactivating_needs_a_json_boolean(api_as, admin_user, other_user, value):
    body = {"is_active": value}
    response = api_as(admin_user).patch(f"/api/admin/users/{other_user.pk}", body)
    if value is None:
        assert response.status_code == 200  # null means "leave it as it is"
    else:
        assert response.status_code == 422, response.content
        assert list(response.json()["details"]) == ["is_active"]
    other_user.refresh_from_db()
    assert other_user.is_active


def test_a_json_boolean_still_deactivates(api_as, admin_user, other_user):
    response = api_as(admin_user).patch(
        f"/api/admin/users/{other_user.pk}", {"is_active": False}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False


@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/wiki/bulk-delete", {"wikiIds": ["1"]}, "wikiIds.0"),
        ("/api/wiki/bulk-delete", {"wikiIds": [1.0]}, "wikiIds.0"),
        (
            "/api/wiki/{slug}/file/index.md",
            {"content": "x", "baseVersion": "1"},
            "baseVersion",
        ),
        ("/api/wiki/{slug}/move", {"from": "index.md", "to": 5}, "to"),
    ],
)
def test_numbers_and_strings_are_not_coerced(api_as, user, wiki, url, body, field):
    c = api_as(user)
    method = c.put if "/file/" in url else c.post
    response = method(url.format(slug=wiki.slug), body)
    assert response.status_code == 422, response.content
    assert field in response.json()["details"]
    wiki.refresh_from_db()
    assert wiki.current_version == 1


def test_site_settings_need_a_json_boolean(api_as, admin_user):
    body = {
        "site_name": "Docs",
        "welcome_message": "",
        "registration_open": "no",
        "default_visibility": "internal",
    }
    response = api_as(admin_user).put("/api/admin/settings", body)
    assert response.status_code == 422
    assert list(response.json()["details"]) == ["registration_open"]


@pytest.mark.parametrize("url", ["/api/auth/login", "/api/auth/register"])
def test_auth_bodies_must_be_objects_too(api, url):
    response = api.post(url, '"user@example.com"')
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"


def test_a_session_write_without_csrf_is_a_documented_403(user, wiki):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.put(
        f"/api/wikis/{wiki.slug}", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert set(response.json()) == {"error", "code", "details"}
