import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_with_any_email_case_succeeds(client, user, password):
    response = client.post(
        reverse("login"), {"username": "ALICE@Example.com", "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_and_unknown_account_get_the_same_neutral_message(client, user):
    wrong = client.post(
        reverse("login"), {"username": "alice@example.com", "password": "nope"}
    )
    unknown = client.post(
        reverse("login"), {"username": "ghost@example.com", "password": "nope"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Invalid email or password" in response.content.decode()


def test_inactive_user_cannot_sign_in(client, make_user, password):
    make_user("gone@example.com", is_active=False)
    response = client.post(
        reverse("login"), {"username": "gone@example.com", "password": password}
    )
    assert "Invalid email or password" in response.content.decode()


def test_five_failures_lock_the_account_for_that_address_even_with_the_right_password(
    client, user, password
):
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "alice@example.com", "password": "bad"},
            REMOTE_ADDR="10.0.0.1",
        )
    response = client.post(
        reverse("login"),
        {"username": "alice@example.com", "password": password},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_api_login_lockout_answers_429_in_the_error_shape(api, user, password):
    for attempt in range(5):
        status = api.post(
            "/api/auth/login", {"email": "alice@example.com", "password": "bad"}
        ).status_code
        assert status == (401 if attempt < 4 else 429)
    response = api.post(
        "/api/auth/login", {"email": "alice@example.com", "password": password}
    )
    assert response.status_code == 429
    assert response.json()["code"] == "LOCKED_OUT"


def test_logout_requires_post_and_ends_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_change_password_keeps_this_session_and_ends_others(client, user, password):
    from django.test import Client

    other = Client()
    other.force_login(user)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "N3w-Password-x",
            "new_password2": "N3w-Password-x",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert other.get(reverse("dashboard")).status_code == 302
