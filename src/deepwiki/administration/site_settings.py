"""Site settings an admin changes: every reader on every worker sees them at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.models import SiteSettings
from deepwiki.wikis.permissions import require_admin

SETTINGS_FIELDS = (
    "site_name",
    "welcome_message",
    "registration_open",
    "default_visibility",
)


def site_settings_update(*, actor, data: dict) -> SiteSettings:
    """Change the site settings; admins only; every reader sees it at once."""
    require_admin(actor)
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({k: ["Unknown setting."] for k in sorted(unknown)})
    with transaction.atomic():
        current, _ = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        changed = sorted(k for k, v in data.items() if getattr(current, k) != v)
        for key, value in data.items():
            setattr(current, key, value)
        current.full_clean()
        current.save()
        if changed:
            activity_record(
                actor=actor,
                action=Activity.Action.SETTINGS_CHANGED,
                details={"changed": changed},
            )
    return current
