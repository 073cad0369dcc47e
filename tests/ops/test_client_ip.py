"""One client-address resolution, trusting only the configured proxies (item 3)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from deepwiki.core.client import client_ip


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy trusted: the header is the client's word and ignored.
        (0, "198.51.100.9", "203.0.113.5", "198.51.100.9"),
        # nginx appended the real peer; the client's forged entry is to its left.
        (1, "127.0.0.1", "203.0.113.5, 198.51.100.9", "198.51.100.9"),
        (1, "127.0.0.1", "198.51.100.9", "198.51.100.9"),
        (1, "127.0.0.1", None, "127.0.0.1"),
        # Load balancer + nginx: the balancer's entry is the client.
        (2, "10.0.0.2", "1.1.1.1, 198.51.100.9, 10.0.0.3", "198.51.100.9"),
        # Not an address where a proxy should have written one: the peer.
        (1, "127.0.0.1", "1.1.1.1, not-an-ip", "127.0.0.1"),
        # IPv6 is normalised, IPv4-mapped IPv6 becomes IPv4.
        (1, "::1", "2001:DB8:0:0::1", "2001:db8::1"),
        (0, "::ffff:192.0.2.7", None, "192.0.2.7"),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.DEEPWIKI_PROXY_COUNT = proxies
    assert client_ip(_request(remote, forwarded)) == expected


def test_axes_ratelimit_and_ninja_all_use_the_same_address(settings):
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    from deepwiki.api.throttles import ClientAddressThrottle

    settings.DEEPWIKI_PROXY_COUNT = 1
    request = _request("127.0.0.1", "203.0.113.5, 198.51.100.9")
    assert get_client_ip_address(request) == "198.51.100.9"
    assert _get_ip(request) == "198.51.100.9"
    assert ClientAddressThrottle("1/m").get_ident(request) == "198.51.100.9"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, 0),
        ({"DEEPWIKI_PROXY_COUNT": "2"}, 0),
        ({"TRUST_PROXY": "true"}, 1),
        ({"TRUST_PROXY": "true", "DEEPWIKI_PROXY_COUNT": "2"}, 2),
    ],
)
def test_proxy_count_comes_from_the_environment(monkeypatch, tmp_path, env, expected):
    from deepwiki.config import env as config_env

    monkeypatch.delenv("TRUST_PROXY", raising=False)
    monkeypatch.delenv("DEEPWIKI_PROXY_COUNT", raising=False)
    monkeypatch.setenv("DEEPWIKI_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config_env.load().proxy_count == expected
