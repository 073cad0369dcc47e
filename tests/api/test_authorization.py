"""Every account endpoint as anonymous / user / admin."""

import pytest

pytestmark = pytest.mark.django_db

ANON_OK = {
    ("get", "/api/health"),
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/reset-password/request"),
    ("post", "/api/auth/reset-password/confirm"),
}
SIGNED_IN_ONLY = [
    ("get", "/api/auth/me"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/tokens"),
    ("post", "/api/auth/tokens"),
    ("delete", "/api/auth/tokens/999999"),
]


@pytest.mark.parametrize("method, path", SIGNED_IN_ONLY)
def test_signed_in_endpoints_refuse_anonymous(api, method, path):
    response = getattr(api, method)(path, {} if method != "get" else None)
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize("who", ["user", "admin"])
@pytest.mark.parametrize("method, path", SIGNED_IN_ONLY)
def test_signed_in_endpoints_work_for_users_and_admins(
    api_as, user, admin_user, who, method, path
):
    c = api_as(user if who == "user" else admin_user)
    response = getattr(c, method)(path, {} if method != "get" else None)
    assert response.status_code in (200, 201, 404)  # 404: token 999999 is nobody's


def test_admin_user_pages_are_admin_only(client, user, admin_user):
    assert client.get("/admin/users/").status_code == 302  # anonymous → sign in
    client.force_login(user)
    assert client.get("/admin/users/").status_code == 403
    assert (
        client.post(f"/admin/users/{admin_user.id}", {"role": "USER"}).status_code
        == 403
    )
    client.force_login(admin_user)
    assert client.get("/admin/users/").status_code == 200


def test_admin_changes_role_and_deactivates(client, user, admin_user):
    client.force_login(admin_user)
    client.post(f"/admin/users/{user.id}", {"role": "ADMIN"})
    user.refresh_from_db()
    assert user.role == "ADMIN"
    client.post(f"/admin/users/{user.id}", {"is_active": "0"})
    user.refresh_from_db()
    assert not user.is_active


def test_admin_cannot_demote_or_deactivate_themselves(client, admin_user):
    client.force_login(admin_user)
    client.post(f"/admin/users/{admin_user.id}", {"role": "USER"})
    client.post(f"/admin/users/{admin_user.id}", {"is_active": "0"})
    admin_user.refresh_from_db()
    assert admin_user.role == "ADMIN" and admin_user.is_active


def test_django_admin_is_for_admins_only(client, user, admin_user):
    client.force_login(user)
    assert client.get("/django-admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == 200


def test_django_admin_lists_users_for_admins(client, admin_user, user):
    client.force_login(admin_user)
    page = client.get("/django-admin/accounts/user/")
    assert page.status_code == 200
    assert b"alice@example.com" in page.content
