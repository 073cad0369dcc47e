"""The wiki list: filter, sort, paginate, and bulk delete for owners and admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deepwiki.web.forms.wikis import SORTS, WikiListForm
from deepwiki.wikis import permissions, selectors, services
from deepwiki.wikis.models import Tag

PER_PAGE = 20


def wiki_list(request):
    """Every wiki the visitor may read, newest first by default."""
    form = WikiListForm(request.GET or None)
    params = form.cleaned_or_defaults()
    wikis = selectors.wiki_list_for_user(request.user, **params)
    page = Paginator(wikis, PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    rows = [
        {
            "wiki": wiki,
            "can_delete": user.is_authenticated and permissions.can_edit(user, wiki),
        }
        for wiki in page
    ]
    return render(
        request,
        "wikis/list.html",
        {
            "form": form,
            "params": params,
            "sorts": SORTS,
            "page": page,
            "rows": rows,
            "tags": _tag_chips(user),
            "any_deletable": any(row["can_delete"] for row in rows),
            "filtered": bool(params["q"] or params["tag"]),
        },
    )


def _tag_chips(user) -> list:
    """Tags used by wikis this user can read, most used first."""
    readable = permissions.readable_wikis(user).values("pk")
    return list(
        Tag.objects.filter(wikis__in=readable)
        .annotate(uses=Count("wikis", distinct=True))
        .order_by("-uses", "name")[:30]
    )


@login_required
@require_POST
def wiki_bulk_delete(request):
    """Delete the ticked wikis; report what happened to each one."""
    ids = [int(v) for v in request.POST.getlist("wiki_ids") if v.strip().isdigit()]
    if not ids:
        messages.error(request, "Select at least one wiki to delete.")
        return redirect(_back_to_list(request))
    titles = dict(
        permissions.readable_wikis(request.user)
        .filter(pk__in=ids)
        .values_list("pk", "title")
    )
    try:
        results = services.wiki_bulk_delete(actor=request.user, wiki_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back_to_list(request))
    _report(request, results, titles)
    return redirect(_back_to_list(request))


OUTCOMES = {
    "not_found": "it does not exist (any more)",
    "forbidden": "only its owner or an admin can delete it",
}


def _report(request, results: list[dict], titles: dict) -> None:
    """One line per wiki: deleted, or why not."""
    deleted = [
        titles.get(r["id"], f"#{r['id']}") for r in results if r["status"] == "deleted"
    ]
    if deleted:
        names = ", ".join(f"“{name}”" for name in deleted)
        count = len(deleted)
        messages.success(
            request, f"Deleted {count} wiki{'s' if count > 1 else ''}: {names}."
        )
    for result in results:
        if result["status"] != "deleted":
            name = titles.get(result["id"], f"#{result['id']}")
            reason = OUTCOMES.get(result["status"], "it could not be deleted")
            messages.error(request, f"Not deleted: “{name}” — {reason}.")


def _back_to_list(request) -> str:
    """Return to the list as it was filtered."""
    keep = {k: request.POST[k] for k in ("q", "tag", "sort") if request.POST.get(k)}
    base = reverse("wiki_list")
    return f"{base}?{urlencode(keep)}" if keep else base
