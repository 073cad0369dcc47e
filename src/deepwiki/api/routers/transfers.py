"""Owner changes: an offer on a wiki, and the offers waiting for you.

Admins change the owner at once. An owner can only offer the wiki to an e-mail
address; the person signed in with that address accepts or declines. The
answer to an offer never says whether the address has an account.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Router, Status

from deepwiki.api.auth import SIGNED_IN
from deepwiki.api.schemas import (
    Input,
    OfferList,
    OfferOut,
    TransferOut,
    WikiOut,
    errors,
)
from deepwiki.api.serializers import offer_out, wiki_out
from deepwiki.api.types import Text
from deepwiki.core.errors import NotFound
from deepwiki.wikis import selectors, services
from deepwiki.wikis.permissions import (
    get_readable_wiki_or_404,
    is_admin,
    require_edit,
)

router = Router(tags=["owner transfer"])
Slug = Annotated[str, Field(max_length=80)]
OfferId = Annotated[int, Field(ge=1, le=2**62)]
OFFER_SENT = (
    "If {email} belongs to an active account, its owner will see your offer on "
    "their account page. You stay the owner until they accept."
)


class TransferIn(Input):
    email: Text(254) = Field(description="E-mail address of the new owner")


@router.get(
    "/wikis/{slug}/transfer",
    auth=SIGNED_IN,
    response={200: OfferOut, **errors(401, 403, 404, 422)},
)
def transfer_get(request, slug: Slug):
    """The wiki's pending owner offer (owner or admin); 404 when there is none."""
    wiki = get_readable_wiki_or_404(request.user, slug)
    require_edit(request.user, wiki)
    offer = selectors.offer_for_wiki(wiki)
    if offer is None:
        raise NotFound("This wiki has no pending owner offer.")
    return offer_out(offer, request.user)


@router.post(
    "/wikis/{slug}/transfer",
    auth=SIGNED_IN,
    response={200: TransferOut, **errors(400, 401, 403, 404, 413, 422)},
)
def transfer_start(request, slug: Slug, payload: TransferIn):
    """Hand the wiki over (admins) or offer it to an e-mail address (owner)."""
    wiki = get_readable_wiki_or_404(request.user, slug)
    require_edit(request.user, wiki)
    if is_admin(request.user):
        services.wiki_update_meta(actor=request.user, wiki=wiki, owner=payload.email)
        return {
            "transferred": True,
            "wiki": wiki_out(selectors.wiki_get_fresh(wiki), request.user),
            "offer": None,
            "message": "The wiki has a new owner.",
        }
    offer = services.offer_create(actor=request.user, wiki=wiki, email=payload.email)
    return {
        "transferred": False,
        "wiki": wiki_out(selectors.wiki_get_fresh(wiki), request.user),
        "offer": offer_out(offer, request.user),
        "message": OFFER_SENT.format(email=offer.to_email),
    }


@router.delete(
    "/wikis/{slug}/transfer",
    auth=SIGNED_IN,
    response={204: None, **errors(401, 403, 404, 422)},
)
def transfer_cancel(request, slug: Slug):
    """Withdraw the wiki's pending owner offer."""
    wiki = get_readable_wiki_or_404(request.user, slug)
    if not services.offer_cancel(actor=request.user, wiki=wiki):
        raise NotFound("This wiki has no pending owner offer.")
    return Status(204, None)


@router.get("/transfers", auth=SIGNED_IN, response={200: OfferList, **errors(401)})
def transfers_for_me(request):
    """Wikis offered to you, waiting for your answer."""
    items = [
        offer_out(o, request.user) for o in selectors.offer_list_for_user(request.user)
    ]
    return {"items": items, "total": len(items)}


@router.post(
    "/transfers/{offer_id}/accept",
    auth=SIGNED_IN,
    response={200: WikiOut, **errors(401, 403, 404, 422)},
)
def transfer_accept(request, offer_id: OfferId):
    """Accept an offer made to you: you become the wiki's owner."""
    wiki = services.offer_accept(actor=request.user, offer_id=offer_id)
    return wiki_out(selectors.wiki_get_fresh(wiki), request.user)


@router.post(
    "/transfers/{offer_id}/decline",
    auth=SIGNED_IN,
    response={204: None, **errors(401, 403, 404, 422)},
)
def transfer_decline(request, offer_id: OfferId):
    """Decline an offer made to you; the owner keeps the wiki."""
    services.offer_decline(actor=request.user, offer_id=offer_id)
    return Status(204, None)
