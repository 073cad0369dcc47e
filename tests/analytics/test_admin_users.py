"""Admin user management in the app's UI and the API."""

from __future__ import annotations

import pytest

from deepwiki.accounts.models import User
from deepwiki.activity.models import Activity

pytestmark = pytest.mark.django_db


def test_search_filters_by_email_name_role_and_status(signed_in, admin_user, make_user):
    make_user("carol@example.com", name="Carol Danvers")
    make_user("dave@example.com", is_active=False)
    client = signed_in(admin_user)
    html = client.get("/admin/users/?q=danvers").content.decode()
    assert "carol@example.com" in html and "dave@example.com" not in html
    html = client.get("/admin/users/?status=inactive").content.decode()
    assert "dave@example.com" in html and "carol@example.com" not in html
    html = client.get("/admin/users/?role=ADMIN").content.decode()
    assert "root@example.com" in html and "carol@example.com" not in html


def test_role_change_keeps_the_search_and_logs_it(signed_in, admin_user, user):
    client = signed_in(admin_user)
    response = client.post(
        f"/admin/users/{user.pk}", {"role": "ADMIN", "next": "?q=alice&page=1"}
    )
    assert response["Location"] == "/admin/users/?q=alice&page=1"
    user.refresh_from_db()
    assert user.role == "ADMIN"
    assert (
        Activity.objects.filter(action=Activity.Action.USER_ROLE_CHANGED).count() == 1
    )


def test_next_cannot_redirect_elsewhere(signed_in, admin_user, user):
    response = signed_in(admin_user).post(
        f"/admin/users/{user.pk}", {"role": "USER", "next": "//evil.example/\r\nX: y"}
    )
    assert response["Location"].startswith("/admin/users/")


def test_new_role_applies_on_the_next_request(client, admin_user, user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 403
    User.objects.filter(pk=user.pk).update(role="ADMIN")
    assert client.get("/admin/").status_code == 200


def test_deactivated_user_is_signed_out_and_tokens_stop(
    client, api_as, admin_user, user
):
    token_client = api_as(user)
    client.force_login(user)
    from deepwiki.administration.users import user_set_active

    user_set_active(actor=admin_user, user=user, active=False)
    assert client.get("/dashboard").status_code == 302
    assert token_client.get("/api/dashboard/stats").status_code == 401


def test_delete_keeps_wikis_and_versions_as_deleted_user(
    signed_in, make_wiki, admin_user, user
):
    from deepwiki.wikis.models import Wiki, WikiVersion

    wiki = make_wiki(user, title="Legacy")
    client = signed_in(admin_user)
    confirm = client.get(f"/admin/users/{user.pk}/delete").content.decode()
    assert "1 wiki" in confirm and "deleted user" in confirm
    response = client.post(f"/admin/users/{user.pk}/delete")
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    wiki = Wiki.objects.get(pk=wiki.pk)
    assert wiki.owner is None
    assert WikiVersion.objects.get(wiki=wiki).author is None
    feed = client.get("/dashboard?type=created").content.decode()
    assert "deleted user" in feed and "Legacy" in feed


def test_admin_cannot_delete_or_demote_themselves(signed_in, admin_user):
    client = signed_in(admin_user)
    client.post(f"/admin/users/{admin_user.pk}/delete")
    client.post(f"/admin/users/{admin_user.pk}", {"role": "USER"})
    admin_user.refresh_from_db()
    assert admin_user.role == "ADMIN"


def test_api_lists_searches_and_paginates(api_as, admin_user, make_user):
    for i in range(3):
        make_user(f"team{i}@example.com")
    client = api_as(admin_user)
    body = client.get("/api/admin/users?q=team&limit=2").json()
    assert body["total"] == 3 and len(body["items"]) == 2
    assert set(body["items"][0]) >= {"id", "email", "role", "is_active", "wiki_count"}
    assert client.get("/api/admin/users?active=false").json()["total"] == 0


def test_api_patch_changes_role_and_status(api_as, admin_user, user):
    client = api_as(admin_user)
    response = client.patch(
        f"/api/admin/users/{user.pk}", {"role": "ADMIN", "is_active": False}
    )
    assert response.status_code == 200
    assert response.json()["role"] == "ADMIN" and response.json()["is_active"] is False
    bad = client.patch(f"/api/admin/users/{user.pk}", {"role": "ROOT"})
    assert bad.status_code == 422
    selfie = client.patch(f"/api/admin/users/{admin_user.pk}", {"is_active": False})
    assert selfie.status_code == 422 and "is_active" in selfie.json()["details"]


def test_api_delete_and_not_found(api_as, admin_user, user):
    client = api_as(admin_user)
    assert client.delete(f"/api/admin/users/{user.pk}").status_code == 204
    assert client.delete(f"/api/admin/users/{user.pk}").status_code == 404
    assert client.get("/api/admin/users/999999").json()["code"] == "NOT_FOUND"
    assert client.delete(f"/api/admin/users/{admin_user.pk}").status_code == 422


def test_admin_home_counts_people_failures_and_storage(
    signed_in, admin_user, make_user, make_wiki, client
):
    make_user("off@example.com", is_active=False)
    wiki = make_wiki(admin_user, title="Ops", files={"index.md": "# Ops\n"})
    client.post(
        "/accounts/login/", {"username": "ghost@example.com", "password": "nope"}
    )
    html = signed_in(admin_user).get("/admin/").content.decode()
    import re

    values = re.findall(
        r'<span class="stat-label">([^<]+)</span><span class="stat-value">([^<]+)</span>',
        html,
    )
    assert dict(values) == {
        "Active users": "1",
        "Wikis": "1",
        "Stored file contents": "6\xa0bytes",
        "Failed sign-ins, last 24 hours": "1",
    }
    assert wiki.total_size == 6
