"""Sign-in lockout protects the account owner, not the attacker (issue 11, item 2).

The same policy holds on the sign-in form, POST /api/auth/login and /django-admin:
5 failures lock one account for one address, 20 failures lock an address, and a
success resets only its own account+address pair.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from deepwiki.accounts.models import Role

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
SURFACES = ["form", "api", "admin"]
SIGNED_IN = {"form": 302, "api": 200, "admin": 302}
REFUSED = {"form": 200, "api": 401, "admin": 200}


def sign_in(surface: str, email: str, secret: str, address: str, client=None) -> int:
    """One sign-in attempt through one surface; returns the HTTP status."""
    client = client or Client()
    if surface == "api":
        response = client.post(
            "/api/auth/login",
            json.dumps({"email": email, "password": secret}),
            content_type="application/json",
            REMOTE_ADDR=address,
        )
        if response.status_code == 429:
            assert response.json()["code"] == "LOCKED_OUT"
        return response.status_code
    path = reverse("login") if surface == "form" else "/django-admin/login/"
    data = {"username": email, "password": secret}
    if surface == "admin":
        data["next"] = "/django-admin/"
    response = client.post(path, data, REMOTE_ADDR=address)
    if response.status_code == 429:
        assert "Too many failed sign-in attempts" in response.content.decode()
    return response.status_code


@pytest.fixture
def victim(make_user):
    # An admin, so /django-admin accepts the owner's sign-in.
    return make_user("alice@example.com", role=Role.ADMIN)


@pytest.mark.parametrize("surface", SURFACES)
def test_attackers_own_sign_ins_between_guesses_do_not_reset_the_victims_count(
    surface, victim, make_user, password
):
    make_user("mallory@example.com")
    statuses = []
    for _ in range(10):
        statuses.append(sign_in(surface, "alice@example.com", "wrong", ATTACKER))
        own = sign_in("form", "mallory@example.com", password, ATTACKER)
        assert own == 302, "the attacker's own account is not locked"
    assert statuses == [REFUSED[surface]] * 4 + [429] * 6


def test_registrations_between_guesses_do_not_reset_the_victims_count(victim):
    statuses = []
    for n in range(6):
        statuses.append(sign_in("form", "alice@example.com", "wrong", ATTACKER))
        registered = Client().post(
            reverse("register"),
            {
                "email": f"mallory{n}@example.com",
                "password": "Mall0ry-Secret-x",
                "password_confirm": "Mall0ry-Secret-x",
            },
            REMOTE_ADDR=ATTACKER,
        )
        assert registered.status_code == 302
    assert statuses == [200] * 4 + [429] * 2


@pytest.mark.parametrize("surface", SURFACES)
def test_five_wrong_passwords_do_not_lock_the_owner_out_from_another_address(
    surface, victim, password
):
    for _ in range(5):
        sign_in(surface, "alice@example.com", "wrong", ATTACKER)
    assert sign_in(surface, "alice@example.com", password, ATTACKER) == 429
    assert sign_in(surface, "alice@example.com", password, OWNER) == SIGNED_IN[surface]


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(
    make_user, password
):
    make_user("carol@example.com")
    statuses = [
        sign_in("form", f"nobody{i}@example.com", "wrong", ATTACKER) for i in range(20)
    ]
    assert 429 not in statuses[:19]
    assert sign_in("form", "carol@example.com", password, ATTACKER) == 429
    assert sign_in("api", "carol@example.com", password, ATTACKER) == 429
    assert sign_in("form", "carol@example.com", password, OWNER) == 302


def test_a_success_resets_only_its_own_account_and_address(victim, password):
    for _ in range(4):
        sign_in("form", "alice@example.com", "wrong", ATTACKER)
        sign_in("form", "alice@example.com", "wrong", OWNER)
    # The owner signs in from home: home's count starts again, the attacker's not.
    assert sign_in("form", "alice@example.com", password, OWNER) == 302
    for _ in range(4):
        assert sign_in("form", "alice@example.com", "wrong", OWNER) == 200
    assert sign_in("form", "alice@example.com", "wrong", ATTACKER) == 429
