"""Load a wiki for a page with the right answer: login, 404 or 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from deepwiki.wikis import permissions


class LoginNeeded(Exception):
    """An anonymous visitor asked for something that needs an account."""


def wiki_for_read(request, slug: str):
    """Return the wiki or raise: anonymous visitors may sign in, others get 404."""
    try:
        return permissions.get_readable_wiki_or_404(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            raise LoginNeeded from None
        raise


def wiki_for_edit(request, slug: str):
    """Return a wiki the user may edit; 404 when unreadable, 403 when read-only."""
    wiki = wiki_for_read(request, slug)
    if not request.user.is_authenticated:
        raise LoginNeeded
    permissions.require_edit(request.user, wiki)
    return wiki


def wiki_page_view(view):
    """Turn LoginNeeded into a redirect to the sign-in page (and back)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapper
