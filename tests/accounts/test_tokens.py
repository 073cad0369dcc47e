import pytest

from deepwiki.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_authenticates_api_calls(api_as, user, client):
    me = api_as(user).get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.com"
    token = ApiToken.objects.get()
    assert len(token.token_hash) == 64


def test_create_list_and_revoke_tokens_through_the_api(api_as, user):
    c = api_as(user)
    created = c.post("/api/auth/tokens", {"name": "ci"})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("dw_")
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    listed = c.get("/api/auth/tokens").json()
    assert listed["total"] == 2
    assert all("token" not in item for item in listed["items"])
    new_id = created.json()["id"]
    assert c.delete(f"/api/auth/tokens/{new_id}").status_code == 200
    from conftest import ApiClient
    from django.test import Client

    assert ApiClient(Client(), raw).get("/api/auth/me").status_code == 401


def test_revoking_someone_elses_token_is_404(api_as, user, other_user, token_for):
    token_for(other_user)
    theirs = ApiToken.objects.get(user=other_user)
    assert api_as(user).delete(f"/api/auth/tokens/{theirs.id}").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_wrong_token_is_401_even_on_public_endpoints(client):
    response = client.get("/api/auth/me", HTTP_AUTHORIZATION="Bearer dw_notatoken")
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


def test_token_of_deactivated_user_stops_working(api_as, user):
    c = api_as(user)
    user.is_active = False
    user.save()
    assert c.get("/api/auth/me").status_code == 401


def test_account_page_creates_and_revokes_tokens(client, user):
    client.force_login(user)
    page = client.post("/accounts/", {"name": "laptop"})
    assert "copy it now" in page.content.decode()
    token = ApiToken.objects.get()
    client.post(f"/accounts/tokens/{token.id}/revoke")
    assert not ApiToken.objects.exists()


def test_cli_token_create_prints_a_working_token(user, client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "alice@example.com", "--name", "cli", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert (
        client.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 200
    )
