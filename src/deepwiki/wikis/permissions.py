"""Who may do what: the one place the rules live, for every transport.

Roles (admin), reading (visibility) and changing a wiki are answered here;
pages, the API, search scope, raw files, exports and feeds all ask this module.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from deepwiki.wikis.models import Visibility, Wiki


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user) -> bool:
    """True for a signed-in, active admin."""
    return _signed_in(user) and bool(getattr(user, "is_admin", False))


def require_admin(user) -> None:
    """Refuse anyone but an admin (the transports turn this into 403)."""
    if not is_admin(user):
        raise PermissionDenied("Only admins can do this.")


def can_read(user, wiki: Wiki) -> bool:
    """Public: anyone; internal: signed-in users; private: owner and admins."""
    if wiki.visibility == Visibility.PUBLIC:
        return True
    if not _signed_in(user):
        return False
    if wiki.visibility == Visibility.INTERNAL or is_admin(user):
        return True
    return wiki.owner_id is not None and wiki.owner_id == user.pk


def can_edit(user, wiki: Wiki) -> bool:
    """Edit, replace and delete belong to the owner and admins."""
    if not _signed_in(user):
        return False
    return is_admin(user) or (wiki.owner_id is not None and wiki.owner_id == user.pk)


def readable_wikis(user) -> QuerySet[Wiki]:
    """Return the wikis a user may read, as a filter usable inside other queries."""
    if is_admin(user):
        return Wiki.objects.all()
    if not _signed_in(user):
        return Wiki.objects.filter(visibility=Visibility.PUBLIC)
    return Wiki.objects.filter(
        Q(visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL]) | Q(owner_id=user.pk)
    )


def get_readable_wiki_or_404(user, slug: str) -> Wiki:
    """Return the wiki or raise Http404 (also when it exists but is not readable)."""
    wiki = Wiki.objects.select_related("owner").filter(slug=str(slug)[:80]).first()
    if wiki is None or not can_read(user, wiki):
        raise Http404("No such wiki.")
    return wiki


def require_edit(user, wiki: Wiki) -> None:
    """Raise PermissionDenied unless the user may change the wiki."""
    if not can_edit(user, wiki):
        raise PermissionDenied("Only the owner of this wiki or an admin can change it.")
