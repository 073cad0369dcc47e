"""The dashboard page and its activity-feed partial (htmx swaps just the feed)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from deepwiki.activity.models import RecentView
from deepwiki.activity.services import pageviews_flush_safely
from deepwiki.analytics.dashboard import dashboard_stats
from deepwiki.analytics.feed import activity_feed
from deepwiki.web.forms.analytics import FeedFilterForm
from deepwiki.wikis.permissions import is_admin, readable_wikis

FEED_PAGE_SIZE = 20
FEED_TARGET = "activity-feed"


def greeting_for(hour: int) -> str:
    """Good morning / afternoon / evening for an hour of the day (0-23)."""
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def _feed_context(request) -> dict:
    form = FeedFilterForm(request.GET or None, reader=request.user)
    filters = form.filters()
    feed = activity_feed(user=request.user, **filters)
    page = Paginator(feed, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "feed_form": form,
        "feed_page": page,
        "feed_query": query.urlencode(),
        "feed_filtered": any(v for v in filters.values()),
    }


def _recently_viewed(user, limit: int = 8):
    readable = readable_wikis(user).values("pk")
    return (
        RecentView.objects.filter(user=user, wiki__in=readable)
        .select_related("wiki")
        .order_by("-viewed_at")[:limit]
    )


@login_required
def dashboard(request):
    """Greeting, figures with trends, the activity feed, own wikis, recent pages."""
    # Views are buffered: flush them before anything is counted or paginated,
    # so the feed's page size and its items come from the same rows.
    pageviews_flush_safely()
    feed = _feed_context(request)
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == FEED_TARGET and not htmx.history_restore_request:
        response = render(request, "analytics/_activity_feed.html", feed)
    else:
        user = request.user
        readable = readable_wikis(user)
        context = {
            **feed,
            "greeting": greeting_for(timezone.localtime().hour),
            "stats": dashboard_stats(user=user),
            "has_wikis": readable.exists(),
            "my_wikis": user.wikis.order_by("-updated_at")[:6],
            "recent_views": _recently_viewed(user),
            "is_admin": is_admin(user),
        }
        response = render(request, "core/dashboard.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
