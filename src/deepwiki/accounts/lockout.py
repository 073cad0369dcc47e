"""Sign-in lockout that protects the account owner, not the attacker.

django-axes counts failures for the lockout parameters in settings
(`[["username", "ip_address"], "ip_address"]`): one account from one address, and
one address whatever the account. This handler adds what axes has no setting for:

* each parameter set has its own limit (AXES_FAILURE_LIMIT for account+address,
  AXES_ADDRESS_FAILURE_LIMIT for an address), so guessing one account from one
  address locks only that pair, and the owner can still sign in from elsewhere;
* a successful sign-in (or a registration) resets only its own account+address
  pair, so an attacker cannot wipe the count by signing in to an account of their
  own between guesses.

docs/deployment.md ("Sign-in protection") describes the policy for operators.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum

from deepwiki.accounts.login_audit import AuditedAxesHandler

PARAMETERS = [["username", "ip_address"], "ip_address"]


def _failure_count(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _pair_and_address(querysets: list):
    """The account+address and the address querysets, in settings' order."""
    if settings.AXES_LOCKOUT_PARAMETERS != PARAMETERS:
        raise ImproperlyConfigured(
            f"LockoutHandler needs AXES_LOCKOUT_PARAMETERS = {PARAMETERS}"
        )
    return querysets


class LockoutHandler(AuditedAxesHandler):
    """axes' database handler (with the audit log) and DeepWiki's lockout policy."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Scale each count to AXES_FAILURE_LIMIT, axes' single threshold.

        The account+address count is compared as it is; the per-address count is
        scaled by AXES_FAILURE_LIMIT / AXES_ADDRESS_FAILURE_LIMIT (with integer
        division this reaches the threshold exactly when the address reaches its
        own limit).
        """
        pair_limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(pair_limit, settings.AXES_ADDRESS_FAILURE_LIMIT)
        pair, address = _pair_and_address(self.get_user_attempts(request, credentials))
        return max(
            _failure_count(pair),
            _failure_count(address) * pair_limit // address_limit,
        )

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a success, forget only this account+address pair's failures."""
        pair, _address = _pair_and_address(
            self.filter_user_attempts(request, credentials)
        )
        count, _ = pair.delete()
        return count
