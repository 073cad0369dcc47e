"""External images load under a CSP listing https: for img-src only (configurable)."""

from __future__ import annotations

import pytest

from deepwiki.config import env


def test_external_images_are_allowed_by_default(monkeypatch):
    monkeypatch.delenv("DEEPWIKI_EXTERNAL_IMAGES", raising=False)
    assert env.load().external_images == "allow"


def test_external_images_can_be_blocked(monkeypatch):
    monkeypatch.setenv("DEEPWIKI_EXTERNAL_IMAGES", "Block")
    assert env.load().external_images == "block"


def test_an_unknown_value_is_refused(monkeypatch):
    monkeypatch.setenv("DEEPWIKI_EXTERNAL_IMAGES", "maybe")
    with pytest.raises(env.ConfigError, match="allow or block"):
        env.load()


@pytest.mark.django_db
def test_pages_send_a_csp_with_https_for_images_only(client):
    header = client.get("/login/").headers.get("Content-Security-Policy", "") or (
        client.get("/").headers.get("Content-Security-Policy", "")
    )
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in header.split(";")
        if part.strip()
    )
    assert "https:" in directives["img-src"]
    for name, values in directives.items():
        if name != "img-src":
            assert "https:" not in values, name
