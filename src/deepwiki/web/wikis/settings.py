"""Wiki settings: title, description, tags, visibility, owner; delete the wiki.

Owner changes: an admin's choice applies at once; an owner's becomes an offer
that the person with that address accepts or declines on their account page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from deepwiki.core.errors import DomainError
from deepwiki.transport.errors import message_of
from deepwiki.web.forms.wikis import DeleteWikiForm, SettingsForm
from deepwiki.web.wikis.access import wiki_for_edit, wiki_page_view
from deepwiki.web.wikis.editing import add_service_errors
from deepwiki.wikis import selectors, services
from deepwiki.wikis.permissions import is_admin

OFFER_SENT = (
    "If {email} belongs to an active account, its owner will see your offer on "
    "their account page. You stay the owner until they accept."
)


def _initial(wiki) -> dict:
    return {
        "title": wiki.title,
        "description": wiki.description,
        "tags": ", ".join(tag.name for tag in wiki.tags.all()),
        "visibility": wiki.visibility,
        "owner": wiki.owner.email if wiki.owner else "",
    }


@wiki_page_view
def wiki_settings(request, slug: str):
    """Edit the wiki's metadata (owner and admins)."""
    wiki = wiki_for_edit(request, slug)
    form = SettingsForm(request.POST or None, initial=_initial(wiki))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner").strip().lower()
        if wiki.owner and wiki.owner.email == owner:
            owner = None
        try:
            services.wiki_update_meta(
                actor=request.user, wiki=wiki, owner=owner or None, **data
            )
        except (DomainError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            if owner and not is_admin(request.user):
                messages.info(request, OFFER_SENT.format(email=owner))
            return redirect("wiki_settings", slug=wiki.slug)
    context = {
        "wiki": wiki,
        "form": form,
        "delete_form": DeleteWikiForm(slug=wiki.slug),
        "offer": selectors.offer_for_wiki(wiki),
        "can_edit": True,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "wikis/settings.html", context, status=status)


@wiki_page_view
@require_POST
def wiki_delete(request, slug: str):
    """Delete the wiki with its files and history after typing its slug."""
    wiki = wiki_for_edit(request, slug)
    form = DeleteWikiForm(request.POST, slug=wiki.slug)
    if form.is_valid():
        title = wiki.title
        try:
            services.wiki_delete(actor=request.user, wiki=wiki)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, f"Deleted the wiki “{title}”.")
            return redirect("wiki_list")
    context = {
        "wiki": wiki,
        "form": SettingsForm(initial=_initial(wiki)),
        "delete_form": form,
        "offer": selectors.offer_for_wiki(wiki),
        "can_edit": True,
    }
    return render(request, "wikis/settings.html", context, status=422)


@wiki_page_view
@require_POST
def wiki_offer_cancel(request, slug: str):
    """Withdraw the pending owner offer of a wiki."""
    wiki = wiki_for_edit(request, slug)
    if services.offer_cancel(actor=request.user, wiki=wiki):
        messages.success(request, "The owner offer was withdrawn.")
    return redirect("wiki_settings", slug=wiki.slug)


@login_required
@require_POST
def offer_answer(request, offer_id: int, answer: str):
    """Accept or decline a wiki offered to you (from your account page)."""
    try:
        if answer == "accept":
            wiki = services.offer_accept(actor=request.user, offer_id=offer_id)
            messages.success(request, f"You are now the owner of “{wiki.title}”.")
        else:
            services.offer_decline(actor=request.user, offer_id=offer_id)
            messages.success(request, "You declined the offer.")
    except DomainError as exc:
        messages.error(request, message_of(exc))
    return redirect("account")
