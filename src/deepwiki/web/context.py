"""Template context shared by every page."""

from django.conf import settings
from django.db import DatabaseError

from deepwiki.core.models import SiteSettings


def site(request) -> dict:
    """Expose the site settings and version to templates, even if the DB is down."""
    try:
        current = SiteSettings.current()
    except DatabaseError:
        current = SiteSettings()
    return {"site": current, "deepwiki_version": settings.VERSION}
