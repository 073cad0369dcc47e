"""Password reset through a real SMTP server (aiosmtpd on loopback)."""

import logging
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
LINK = re.compile(r"(https?://\S+/accounts/reset/\S+/)")


def _link_from(message) -> str:
    body = message.get_payload(decode=True).decode()
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def test_reset_mail_round_trip_sets_new_password_and_ends_other_sessions(
    client, user, smtp_settings, settings, caplog
):
    from django.test import Client

    settings.BASE_URL = "https://wiki.example.org"
    elsewhere = Client()
    elsewhere.force_login(user)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            reverse("password_reset"), {"email": "ALICE@example.com"}
        )
    assert response.status_code == 302
    assert len(smtp_settings.messages) == 1
    message = smtp_settings.messages[0]
    assert message["To"] == "alice@example.com"
    link = _link_from(message)
    assert link.startswith("https://wiki.example.org/accounts/reset/")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    path = link.replace("https://wiki.example.org", "")
    with caplog.at_level(logging.DEBUG):
        form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brand-N3w-pass", "new_password2": "Brand-N3w-pass"},
    )
    assert done.status_code == 302
    app_logs = "\n".join(
        r.getMessage() + str(getattr(r, "msg", ""))
        for r in caplog.records
        if not r.name.startswith("mail")
    )
    assert token not in app_logs
    user.refresh_from_db()
    assert user.check_password("Brand-N3w-pass")
    assert elsewhere.get(reverse("dashboard")).status_code == 302
    # The link works once.
    again = client.get(path, follow=True)
    assert "does not work" in again.content.decode()


def test_reset_request_for_unknown_address_answers_the_same_and_sends_nothing(
    client, smtp_settings
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert smtp_settings.messages == []


def test_api_reset_request_and_confirm(api, user, smtp_settings):
    known = api.post("/api/auth/reset-password/request", {"email": "alice@example.com"})
    unknown = api.post("/api/auth/reset-password/request", {"email": "zed@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert len(smtp_settings.messages) == 1
    link = _link_from(smtp_settings.messages[0])
    uid, token = link.rstrip("/").split("/")[-2:]
    weak = api.post(
        "/api/auth/reset-password/confirm",
        {"uid": uid, "token": token, "password": "weak", "confirmPassword": "weak"},
    )
    assert weak.status_code == 422
    assert "password" in weak.json()["details"]
    ok = api.post(
        "/api/auth/reset-password/confirm",
        {
            "uid": uid,
            "token": token,
            "password": "Fresh-Pass-42",
            "confirmPassword": "Fresh-Pass-42",
        },
    )
    assert ok.status_code == 200, ok.content
    reused = api.post(
        "/api/auth/reset-password/confirm",
        {
            "uid": uid,
            "token": token,
            "password": "Other-Pass-43",
            "confirmPassword": "Other-Pass-43",
        },
    )
    assert reused.status_code == 400
    assert reused.json()["code"] == "INVALID_TOKEN"


def test_expired_reset_link_is_refused(api, user, smtp_settings, settings):
    from datetime import datetime, timedelta

    from django.contrib.auth.tokens import PasswordResetTokenGenerator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    class Past(PasswordResetTokenGenerator):
        def _now(self):
            return datetime.now() - timedelta(hours=2)

    token = Past().make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = api.post(
        "/api/auth/reset-password/confirm",
        {
            "uid": uid,
            "token": token,
            "password": "Fresh-Pass-42",
            "confirmPassword": "Fresh-Pass-42",
        },
    )
    assert response.status_code == 400
