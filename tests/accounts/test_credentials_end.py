"""Credentials end when they should (issue 11, item 10).

A password change or reset and a deactivation revoke the user's API tokens;
tokens can expire (UI, API, CLI); reset mail is limited per e-mail address
whatever the source address, and the page and the API share one limit.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import ApiClient
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from deepwiki.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Brand-N3w-pass"


def _works(raw: str) -> bool:
    return ApiClient(Client(), raw).get("/api/auth/me").status_code == 200


def test_password_change_revokes_api_tokens(client, user, password, token_for):
    raw = token_for(user)
    assert _works(raw)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "your API tokens were revoked" in response.content.decode()
    assert not _works(raw)
    assert not ApiToken.objects.filter(user=user).exists()


def test_password_reset_page_revokes_api_tokens(client, user, token_for):
    raw = token_for(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse(
        "password_reset_confirm",
        args=[uid, default_token_generator.make_token(user)],
    )
    form = client.get(link, follow=True)
    assert "revokes your API tokens" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert not _works(raw)


def test_password_reset_api_revokes_api_tokens(api, user, token_for):
    raw = token_for(user)
    response = api.post(
        "/api/auth/reset-password/confirm",
        {
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "API tokens were revoked" in response.json()["message"]
    assert not _works(raw)


def test_deactivation_revokes_tokens_and_reactivation_does_not_bring_them_back(
    api_as, user, admin_user, token_for
):
    raw = token_for(user)
    admin = api_as(admin_user)
    off = admin.patch(f"/api/admin/users/{user.pk}", {"is_active": False})
    assert off.status_code == 200
    on = admin.patch(f"/api/admin/users/{user.pk}", {"is_active": True})
    assert on.status_code == 200
    assert not _works(raw)
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivation_in_the_users_page_revokes_tokens(client, user, admin_user):
    from deepwiki.accounts.services import token_create

    _, raw = token_create(user=user, name="ci")
    client.force_login(admin_user)
    client.post(reverse("user_update", args=[user.pk]), {"is_active": "0"})
    client.post(reverse("user_update", args=[user.pk]), {"is_active": "1"})
    assert not _works(raw)


def test_an_expired_token_stops_working(api_as, user):
    created = api_as(user).post("/api/auth/tokens", {"name": "ci", "expires_days": 7})
    assert created.status_code == 201
    body = created.json()
    raw = body["token"]
    assert body["expires_at"] is not None
    assert _works(raw)
    ApiToken.objects.filter(pk=body["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert not _works(raw)
    client = Client()
    client.force_login(user)
    assert ">expired</span>" in client.get("/accounts/").content.decode()


def test_token_expiry_is_set_from_the_account_page(client, user):
    client.force_login(user)
    page = client.post("/accounts/", {"name": "laptop", "expires_days": "30"})
    assert "copy it now" in page.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (token.expires_at - token.created_at).days in (29, 30)
    listing = client.get("/accounts/").content.decode()
    assert token.expires_at.strftime("%Y-%m-%d") in listing
    assert "revokes all your tokens" in listing


def test_token_expiry_is_set_from_the_command_line(user, capsys):
    call_command("token", "create", user.email, "--expires-days", "5")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=user)
    assert (token.expires_at - token.created_at).days in (4, 5)
    assert _works(raw)
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("token", "create", user.email, "--expires-days", "0")


def test_token_without_expiry_keeps_working_and_bad_expiry_is_422(api_as, user):
    c = api_as(user)
    forever = c.post("/api/auth/tokens", {"name": "forever"}).json()
    assert forever["expires_at"] is None
    assert (
        c.post("/api/auth/tokens", {"name": "x", "expires_days": 0}).status_code == 422
    )


def test_reset_mail_is_limited_per_email_whatever_the_source_address(user, mailoutbox):
    for n in range(3):
        Client().post(
            reverse("password_reset"),
            {"email": "alice@example.com"},
            REMOTE_ADDR=f"10.0.1.{n}",
        )
        Client().post(
            "/api/auth/reset-password/request",
            json.dumps({"email": "ALICE@example.com"}),
            content_type="application/json",
            REMOTE_ADDR=f"10.0.2.{n}",
        )
    assert len(mailoutbox) == 3


def test_reset_limits_per_address_are_shared_by_the_page_and_the_api(db):
    statuses = []
    for n in range(10):
        if n % 2:
            response = Client().post(
                "/api/auth/reset-password/request",
                json.dumps({"email": f"nobody{n}@example.com"}),
                content_type="application/json",
                REMOTE_ADDR="10.0.3.3",
            )
        else:
            response = Client().post(
                reverse("password_reset"),
                {"email": f"nobody{n}@example.com"},
                REMOTE_ADDR="10.0.3.3",
            )
        statuses.append(response.status_code)
    assert statuses == [302, 200] * 5
    page = Client().post(
        reverse("password_reset"), {"email": "x@example.com"}, REMOTE_ADDR="10.0.3.3"
    )
    api = Client().post(
        "/api/auth/reset-password/request",
        json.dumps({"email": "x@example.com"}),
        content_type="application/json",
        REMOTE_ADDR="10.0.3.3",
    )
    assert (page.status_code, api.status_code) == (429, 429)


def test_deactivation_in_django_admin_revokes_tokens(client, user, admin_user):
    from deepwiki.accounts.services import token_create

    _, raw = token_create(user=user, name="ci")
    client.force_login(admin_user)
    change = f"/django-admin/accounts/user/{user.pk}/change/"
    form = {"email": user.email, "name": "", "role": "USER"}  # is_active unchecked
    assert client.post(change, form).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not ApiToken.objects.filter(user=user).exists()
    assert not _works(raw)
