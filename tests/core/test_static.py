import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/static/deepwiki/css/base.css",
        "/static/deepwiki/js/theme.js",
        "/static/deepwiki/js/app.js",
    ],
)
def test_static_assets_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
