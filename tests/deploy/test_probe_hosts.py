"""Container and Kubernetes probes reach /livez and /readyz by IP address.

Docker's HEALTHCHECK (in the Dockerfile and docker-compose.prod.yml) requests
http://127.0.0.1:8000/readyz; Kubernetes uses the pod's IP. In production
DEEPWIKI_ALLOWED_HOSTS names only the public host, which must not make the
probes fail (found by `make image-test`: the container never turned healthy).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def public_host_only(settings):
    settings.ALLOWED_HOSTS = ["wiki.example.test"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/livez", "/readyz"])
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.1.2.3:8000"])
def test_probes_answer_whatever_the_host_header(client, public_host_only, path, host):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_other_paths_still_refuse_an_unknown_host(client, public_host_only):
    assert client.get("/api/health", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/livez", HTTP_HOST="wiki.example.test").status_code == 200
