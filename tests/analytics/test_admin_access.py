"""Every admin page and endpoint: anonymous → sign in / 401, non-admin → 403/404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("get", "/admin/"),
    ("get", "/admin/users/"),
    ("post", "/admin/users/{other}"),
    ("get", "/admin/users/{other}/delete"),
    ("post", "/admin/users/{other}/delete"),
    ("get", "/admin/settings"),
    ("post", "/admin/settings"),
    ("get", "/admin/maintenance"),
    ("post", "/admin/maintenance"),
    ("get", "/admin/maintenance/1"),
    ("get", "/admin/analytics"),
    ("get", "/admin/analytics/views"),
    ("get", "/admin/analytics/views?format=csv"),
    ("get", "/admin/analytics/searches"),
    ("get", "/admin/analytics/zero-results"),
    ("get", "/admin/analytics/stale"),
    ("get", "/admin/analytics/broken-links"),
    ("get", "/admin/analytics/storage?format=csv"),
    ("get", "/admin/analytics/contributors"),
]
ADMIN_API = [
    ("get", "/api/admin/users"),
    ("get", "/api/admin/users/{other}"),
    ("patch", "/api/admin/users/{other}"),
    ("delete", "/api/admin/users/{other}"),
    ("get", "/api/admin/settings"),
    ("put", "/api/admin/settings"),
    ("get", "/api/admin/actions"),
    ("get", "/api/admin/actions/1"),
    ("post", "/api/admin/actions/cleanup"),
    ("post", "/api/admin/actions/reindex"),
    ("post", "/api/admin/actions/rerender"),
    ("get", "/api/analytics/views"),
    ("get", "/api/analytics/views-per-day"),
    ("get", "/api/analytics/searches"),
    ("get", "/api/analytics/zero-results"),
    ("get", "/api/analytics/stale"),
    ("get", "/api/analytics/broken-links"),
    ("get", "/api/analytics/storage"),
    ("get", "/api/analytics/contributors"),
]
SETTINGS_BODY = {
    "site_name": "Hijacked",
    "welcome_message": "",
    "registration_open": True,
    "default_visibility": "public",
}


def _body(method: str, path: str):
    if method == "put":
        return SETTINGS_BODY
    if method == "patch":
        return {"role": "ADMIN"}
    if method == "post" and path.startswith("/admin/settings"):
        return {**SETTINGS_BODY, "registration_open": "on"}
    if method == "post" and path.startswith("/admin/maintenance"):
        return {"action": "reindex"}
    if method == "post" and path.startswith("/admin/users/"):
        return {"role": "ADMIN"}
    return {} if method != "get" else None


@pytest.mark.parametrize("method, path", ADMIN_PAGES)
def test_admin_pages_send_anonymous_to_sign_in(client, other_user, method, path):
    path = path.format(other=other_user.pk)
    response = getattr(client, method)(path, _body(method, path))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("method, path", ADMIN_PAGES)
def test_admin_pages_refuse_non_admins(client, user, other_user, method, path):
    from deepwiki.accounts.models import User
    from deepwiki.activity.models import MaintenanceRun
    from deepwiki.core.models import SiteSettings

    client.force_login(user)
    path = path.format(other=other_user.pk)
    response = getattr(client, method)(path, _body(method, path))
    assert response.status_code in (403, 404)
    assert b"Hijacked" not in response.content
    assert User.objects.get(pk=other_user.pk).role == "USER"
    assert User.objects.filter(pk=other_user.pk).exists()
    assert SiteSettings.current().site_name != "Hijacked"
    assert not MaintenanceRun.objects.exists()


@pytest.mark.parametrize("method, path", ADMIN_PAGES)
def test_admin_pages_work_for_admins(client, admin_user, other_user, method, path):
    client.force_login(admin_user)
    path = path.format(other=other_user.pk)
    response = getattr(client, method)(path, _body(method, path))
    assert response.status_code in (200, 302, 404)  # 404: run 1 may not exist


@pytest.mark.parametrize("method, path", ADMIN_API)
def test_admin_api_needs_sign_in(api, other_user, method, path):
    path = path.format(other=other_user.pk)
    response = getattr(api, method)(path, _body(method, path))
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize("method, path", ADMIN_API)
def test_admin_api_refuses_non_admins(api_as, user, other_user, method, path):
    from deepwiki.accounts.models import User
    from deepwiki.activity.models import MaintenanceRun

    path = path.format(other=other_user.pk)
    response = getattr(api_as(user), method)(path, _body(method, path))
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert User.objects.get(pk=other_user.pk).role == "USER"
    assert not MaintenanceRun.objects.exists()


def test_django_admin_is_separate_and_also_admin_only(client, user):
    client.force_login(user)
    response = client.get("/django-admin/")
    assert response.status_code == 302  # Django's admin login, not our pages


def test_nav_shows_admin_link_only_to_admins(client, user, admin_user):
    client.force_login(user)
    assert b'href="/admin/"' not in client.get("/dashboard").content
    client.force_login(admin_user)
    assert b'href="/admin/"' in client.get("/dashboard").content
