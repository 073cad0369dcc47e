"""Owner changes: admins move a wiki at once; an owner offers it, the other accepts.

An owner never learns whether an address belongs to an account: making an offer
answers the same either way, and only the person signed in with that address
sees it. Nobody gets a wiki they did not accept.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from deepwiki.core.errors import NotFound
from deepwiki.wikis.models import OwnerOffer, Wiki
from deepwiki.wikis.permissions import require_edit
from deepwiki.wikis.services.meta import settings_commit

OFFER_DAYS = 14
NO_SUCH_OFFER = (
    "This offer does not exist any more: it was withdrawn, expired or answered."
)


def owner_for_admin(owner):
    """Find the active account an admin named by e-mail address or user id."""
    user_model = get_user_model()
    if isinstance(owner, user_model):
        found = owner
    elif isinstance(owner, int) or (isinstance(owner, str) and owner.isdigit()):
        found = user_model.objects.filter(pk=int(owner)).first()
    else:
        found = user_model.objects.filter(email__iexact=str(owner).strip()).first()
    if found is None or not found.is_active:
        raise ValidationError({"owner": ["No active user with that e-mail address."]})
    return found


def offer_address(value) -> str:
    """Return the normalised e-mail address an owner typed, or refuse its shape."""
    email = value.strip().lower() if isinstance(value, str) else ""
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"owner": ["Enter the e-mail address of the new owner."]}
        ) from None
    return email


def offer_create(*, actor, wiki: Wiki, email: str) -> OwnerOffer:
    """Offer the wiki to whoever signs in with `email`; replaces an earlier offer."""
    require_edit(actor, wiki)
    email = offer_address(email)
    if wiki.owner is not None and wiki.owner.email == email:
        raise ValidationError({"owner": ["That address already owns this wiki."]})
    offer, _ = OwnerOffer.objects.update_or_create(
        wiki=wiki,
        defaults={
            "to_email": email,
            "offered_by": actor,
            "expires_at": timezone.now() + timedelta(days=OFFER_DAYS),
        },
    )
    return offer


def offer_cancel(*, actor, wiki: Wiki) -> bool:
    """Withdraw the wiki's pending offer; False when there was none."""
    require_edit(actor, wiki)
    deleted, _ = OwnerOffer.objects.filter(wiki=wiki).delete()
    return bool(deleted)


def _addressed_to(actor, offer_id) -> OwnerOffer:
    """The offer with that id if it is still valid and meant for `actor`."""
    offer = (
        OwnerOffer.objects.select_for_update()
        .select_related("wiki")
        .filter(pk=offer_id, to_email=getattr(actor, "email", None))
        .first()
    )
    if (
        offer is None
        or not getattr(actor, "is_active", False)
        or offer.expires_at <= timezone.now()
        or offer.offered_by_id is None
        or offer.offered_by_id != offer.wiki.owner_id
    ):
        raise NotFound(NO_SUCH_OFFER)
    return offer


def offer_accept(*, actor, offer_id: int) -> Wiki:
    """Take over the wiki of an offer addressed to you (a new version records it)."""
    with transaction.atomic():
        offer = _addressed_to(actor, offer_id)
        wiki = Wiki.objects.select_for_update().get(pk=offer.wiki_id)
        wiki.owner = actor
        offer.delete()
        settings_commit(actor=actor, wiki=wiki, changed=["owner"])
    return wiki


def offer_decline(*, actor, offer_id: int) -> None:
    """Turn down an offer addressed to you."""
    with transaction.atomic():
        _addressed_to(actor, offer_id).delete()
