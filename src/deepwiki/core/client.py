"""The client's address: one resolution for login, lockout, rate limits and logs.

Behind reverse proxies every request arrives from the nearest proxy, and each
proxy appends the address it saw to X-Forwarded-For. Only the entries written by
our own proxies can be trusted: with N proxies (DEEPWIKI_PROXY_COUNT, 1 when
TRUST_PROXY is on) the client is the N-th address from the right of
"X-Forwarded-For, REMOTE_ADDR". Anything further left was sent by the client and
is ignored, so a forged header cannot pick the address that gets counted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _normalized(value: str) -> str | None:
    """The canonical text of an IP address, or None when it is not one."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def client_ip(request) -> str:
    """Return the address of the client that sent this request."""
    remote = _normalized(request.META.get("REMOTE_ADDR", "") or "") or "0.0.0.0"  # noqa: S104
    proxies = settings.DEEPWIKI_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    # Fewer hops than proxies: the request skipped a proxy; take the oldest hop
    # that a proxy (not the client) wrote, which is the left-most one here.
    candidate = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    return _normalized(candidate) or remote
