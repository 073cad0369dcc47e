"""django-ninja throttles that count in the same budgets as the HTML pages.

The limits themselves (`deepwiki.accounts.limits`) are keyed on the client
address from `deepwiki.core.client`, so a page and its API endpoint share one
budget per client.
"""

from __future__ import annotations

from django_ratelimit.core import is_ratelimited
from ninja.throttling import AnonRateThrottle, BaseThrottle

from deepwiki.accounts.limits import Limit
from deepwiki.core.client import client_ip


class SharedLimit(BaseThrottle):
    """A django-ninja throttle that counts in the same budget as `limited()`."""

    def __init__(self, limit: Limit):
        self.limit = limit

    def allow_request(self, request) -> bool:
        return not is_ratelimited(
            request,
            group=self.limit.group,
            key="ip",
            rate=self.limit.rate,
            method="POST",
            increment=True,
        )


class ClientAddressThrottle(AnonRateThrottle):
    """django-ninja's per-address throttle, with DeepWiki's client address."""

    def get_ident(self, request) -> str:
        return client_ip(request)
