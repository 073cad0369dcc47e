"""Rate limits of the account endpoints, the same for the pages and the JSON API.

Every limit is keyed on the client's address as core/client.py resolves it
(django-ratelimit's "ip" key reads RATELIMIT_IP_META_KEY) and counted in the
shared cache, under one group per action, so the HTML form and the API endpoint
draw on one budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit


@dataclass(frozen=True)
class Limit:
    group: str
    rate: str


REGISTER = Limit("accounts.register", "10/h")
PASSWORD_RESET = Limit("accounts.password-reset", "10/h")
# Reset mails to one address, whoever asks and from wherever.
RESET_MAILS_PER_EMAIL = Limit("accounts.reset-mail", "3/h")


def limited(limit: Limit):
    """Decorate a page view: POSTs over the limit get the 429 page."""
    return ratelimit(
        group=limit.group, key="ip", rate=limit.rate, method="POST", block=True
    )


def reset_mail_allowed(request, *, email: str) -> bool:
    """Count one reset mail to `email`; False once the address had its share."""
    return not is_ratelimited(
        request,
        group=RESET_MAILS_PER_EMAIL.group,
        key=lambda _group, _request: email,
        rate=RESET_MAILS_PER_EMAIL.rate,
        increment=True,
    )
