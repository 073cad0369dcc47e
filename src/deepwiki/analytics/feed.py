"""The activity feed: who did what, filtered by type, wiki and user, per reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from deepwiki.activity.models import Activity
from deepwiki.analytics.access import visible_activities
from deepwiki.wikis.permissions import is_admin

A = Activity.Action


@dataclass(frozen=True)
class FeedType:
    """A filter choice of the feed: a name, a label and the actions it covers."""

    key: str
    label: str
    actions: tuple[str, ...]
    admin_only: bool = False


FEED_TYPES = (
    FeedType("created", "Created", (A.WIKI_CREATED,)),
    FeedType("updated", "Updated", (A.WIKI_UPDATED, A.FILE_EDITED, A.FILE_MOVED)),
    FeedType("restored", "Restored", (A.WIKI_RESTORED,)),
    FeedType("deleted", "Deleted", (A.WIKI_DELETED, A.FILE_DELETED)),
    FeedType("viewed", "Viewed", (A.WIKI_VIEWED,)),
    FeedType("exported", "Exported", (A.WIKI_EXPORTED,)),
    FeedType(
        "accounts",
        "Accounts",
        (
            A.USER_REGISTERED,
            A.USER_ROLE_CHANGED,
            A.USER_DEACTIVATED,
            A.USER_REACTIVATED,
            A.USER_DELETED,
        ),
        admin_only=True,
    ),
    FeedType("login_failed", "Failed sign-ins", (A.LOGIN_FAILED,), admin_only=True),
    FeedType(
        "admin", "Administration", (A.SETTINGS_CHANGED, A.MAINTENANCE_STARTED), True
    ),
)


def feed_types_for(user) -> list[FeedType]:
    """The type filters `user` may choose from."""
    admin = is_admin(user)
    return [t for t in FEED_TYPES if admin or not t.admin_only]


def _actions_for(type_: str, user) -> tuple[str, ...]:
    for feed_type in feed_types_for(user):
        if type_ == feed_type.key:
            return feed_type.actions
    if type_ in A.values:
        return (type_,)
    choices = ", ".join(t.key for t in feed_types_for(user))
    raise ValidationError({"type": [f"Unknown activity type. Use one of: {choices}."]})


def activity_feed(
    *, user, type: str = "", wiki: str = "", actor: int | None = None
) -> QuerySet[Activity]:
    """Newest first: the events `user` may see, narrowed by the given filters."""
    qs = visible_activities(user)
    if type:
        qs = qs.filter(action__in=_actions_for(type, user))
    if wiki:
        qs = qs.filter(Q(wiki__slug=wiki) | Q(wiki__isnull=True, wiki_slug=wiki))
    if actor is not None:
        qs = qs.filter(actor_id=actor)
    return qs.select_related("actor", "wiki").order_by("-created_at", "-id")


def activity_as_dict(activity: Activity) -> dict:
    """The API shape of one event (the actor is null once the account is deleted)."""
    actor = activity.actor
    wiki = activity.wiki
    return {
        "id": activity.pk,
        "type": activity.action,
        "label": activity.get_action_display(),
        "actor": (
            {"id": actor.pk, "email": actor.email, "name": actor.display_name}
            if actor
            else None
        ),
        "wiki": (
            {
                "slug": activity.wiki_slug,
                "title": activity.wiki_title,
                "exists": wiki is not None,
            }
            if activity.wiki_slug
            else None
        ),
        "path": activity.path,
        "details": activity.details,
        "created_at": activity.created_at,
    }
