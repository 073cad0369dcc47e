"""Failed sign-ins in the admin activity log, recorded by django-axes' handler hook.

settings.AXES_HANDLER points here, so every failure axes sees (the login page
and POST /api/auth/login alike) is logged once, with the lockout state.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler

from deepwiki.accounts.services import axes_username
from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record


class AuditedAxesHandler(AxesDatabaseHandler):
    """axes' database handler that also writes a `login.failed` activity."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return

        activity_record(
            actor=None,
            action=Activity.Action.LOGIN_FAILED,
            details={
                "email": axes_username(request, credentials)[:254],
                "ip": getattr(request, "axes_ip_address", "") or "",
                "locked_out": bool(getattr(request, "axes_locked_out", False)),
                "via": "api" if request.path.startswith("/api/") else "web",
            },
        )
