"""Who may see what in the dashboard, the feed and the admin area."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from deepwiki.activity.models import Activity
from deepwiki.wikis.models import Visibility
from deepwiki.wikis.permissions import is_admin, readable_wikis

A = Activity.Action
# Events about accounts and the site itself: admins only.
ADMIN_ACTIONS = frozenset(
    {
        A.USER_REGISTERED,
        A.USER_ROLE_CHANGED,
        A.USER_DEACTIVATED,
        A.USER_REACTIVATED,
        A.USER_DELETED,
        A.LOGIN_FAILED,
        A.SETTINGS_CHANGED,
        A.MAINTENANCE_STARTED,
    }
)
CONTENT_ACTIONS = frozenset(set(A.values) - ADMIN_ACTIONS)


def visible_activities(user) -> QuerySet[Activity]:
    """Events `user` may see: admins all; others content events on readable wikis."""
    qs = Activity.objects.all()
    if is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    readable = readable_wikis(user).values("pk")
    gone_but_readable = Q(wiki__isnull=True) & (
        Q(wiki_visibility__in=[Visibility.INTERNAL, Visibility.PUBLIC])
        | Q(wiki_owner=user)
        | Q(actor=user)
    )
    return qs.filter(action__in=CONTENT_ACTIONS).filter(
        Q(wiki__in=readable) | (gone_but_readable & ~Q(wiki_slug=""))
    )
