import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_auth_and_health_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for expected in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/auth/reset-password/request",
        "/api/auth/reset-password/confirm",
        "/api/auth/tokens",
        "/api/health",
    ]:
        assert expected in paths


def test_interactive_explorer_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert (
        b"swagger" in response.content.lower() or b"redoc" in response.content.lower()
    )
