import pytest
from django.urls import reverse

from deepwiki.accounts.models import Role, User
from deepwiki.core.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_register_page_creates_account_signs_in_and_lands_on_dashboard(client):
    response = client.post(
        reverse("register"),
        {
            "email": "New.Person@Example.COM",
            "password": "Sup3rSecret",
            "password_confirm": "Sup3rSecret",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert user.role == Role.USER
    assert user.password.startswith("argon2")
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1A", "too short"),
        ("alllowercase1", "upper-case"),
        ("ALLUPPERCASE1", "lower-case"),
        ("NoDigitsHere", "digit"),
        ("Password1", "too common"),
    ],
)
def test_register_rejects_weak_passwords_with_a_clear_message(
    client, password, message
):
    response = client.post(
        reverse("register"),
        {
            "email": "weak@example.com",
            "password": password,
            "password_confirm": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_register_rejects_password_similar_to_email(client):
    pw = "Johnsmith1x"
    response = client.post(
        reverse("register"),
        {"email": "johnsmith1x@example.com", "password": pw, "password_confirm": pw},
    )
    assert "too similar" in response.content.decode()
    assert not User.objects.exists()


def test_register_rejects_mismatched_confirmation(client):
    response = client.post(
        reverse("register"),
        {
            "email": "a@example.com",
            "password": "Sup3rSecret",
            "password_confirm": "Sup3rSecreT",
        },
    )
    assert "do not match" in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_differing_only_in_case_is_rejected(client, user):
    response = client.post(
        reverse("register"),
        {
            "email": "ALICE@example.com",
            "password": "Sup3rSecret",
            "password_confirm": "Sup3rSecret",
        },
    )
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_nobody_can_register_as_admin_through_the_api(api):
    response = api.post(
        "/api/auth/register",
        {
            "email": "sneaky@example.com",
            "password": "Sup3rSecret",
            "confirmPassword": "Sup3rSecret",
            "role": "ADMIN",
        },
    )
    assert response.status_code == 201
    assert response.json()["role"] == "USER"
    assert User.objects.get().role == Role.USER


def test_closed_registration_refuses_page_and_api(client, api):
    settings_row = SiteSettings.current()
    settings_row.registration_open = False
    settings_row.save()
    from django.core.cache import cache

    cache.clear()
    assert client.get(reverse("register")).status_code == 403
    response = api.post(
        "/api/auth/register",
        {
            "email": "x@example.com",
            "password": "Sup3rSecret",
            "confirmPassword": "Sup3rSecret",
        },
    )
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert not User.objects.exists()
