"""Site settings: edited by admins, seen by everyone at once."""

from __future__ import annotations

import pytest

from deepwiki.core.models import SiteSettings

pytestmark = pytest.mark.django_db
FORM = {
    "site_name": "Acme Docs",
    "welcome_message": "Read the runbooks first.",
    "registration_open": "",
    "default_visibility": "private",
}


def test_saving_settings_changes_every_page_immediately(signed_in, admin_user, client):
    SiteSettings.current()  # warm the cache
    admin = signed_in(admin_user)
    response = admin.post("/admin/settings", FORM)
    assert response.status_code == 302
    current = SiteSettings.current()
    assert (
        current.site_name,
        current.registration_open,
        current.default_visibility,
    ) == (
        "Acme Docs",
        False,
        "private",
    )
    page = admin.get("/dashboard").content.decode()
    assert "Acme Docs" in page and "Read the runbooks first." in page
    admin.logout()
    assert client.get("/accounts/register/").status_code == 403  # registration closed


def test_invalid_settings_are_refused_and_nothing_changes(signed_in, admin_user):
    before = SiteSettings.current().site_name
    response = signed_in(admin_user).post(
        "/admin/settings", {**FORM, "site_name": "", "default_visibility": "world"}
    )
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert SiteSettings.current().site_name == before


def test_settings_change_is_logged_with_the_fields(signed_in, admin_user):
    from deepwiki.activity.models import Activity

    signed_in(admin_user).post("/admin/settings", FORM)
    event = Activity.objects.get(action=Activity.Action.SETTINGS_CHANGED)
    assert event.actor == admin_user
    assert event.details["changed"] == [
        "default_visibility",
        "registration_open",
        "site_name",
        "welcome_message",
    ]


def test_api_reads_and_replaces_settings(api_as, admin_user):
    client = api_as(admin_user)
    assert client.get("/api/admin/settings").json()["site_name"] == "DeepWiki"
    body = {
        "site_name": "Team Wiki",
        "welcome_message": "",
        "registration_open": False,
        "default_visibility": "public",
    }
    assert client.put("/api/admin/settings", body).json() == body
    assert SiteSettings.current().site_name == "Team Wiki"
    bad = client.put("/api/admin/settings", {**body, "default_visibility": "world"})
    assert bad.status_code == 422 and "default_visibility" in bad.json()["details"]
    empty = client.put("/api/admin/settings", {**body, "site_name": ""})
    assert empty.status_code == 422
    nul = client.put("/api/admin/settings", {**body, "site_name": "a\x00b"})
    assert nul.status_code == 422
    assert SiteSettings.current().site_name == "Team Wiki"
