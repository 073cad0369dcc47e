"""The /search page: query, filters, highlighted hits and pagination."""

from __future__ import annotations

from django.shortcuts import render

from deepwiki.search.backends.base import RANK_WINDOW
from deepwiki.search.scope import visible_wiki_ids
from deepwiki.search.selectors import MIN_QUERY_CHARS
from deepwiki.search.services import search_submit
from deepwiki.web.forms.search import SearchForm
from deepwiki.wikis.models import Wiki

PAGE_SIZE = 20


def search_page(request):
    """Show results for ?q= (with filters); an empty query shows search tips."""

    wikis = Wiki.objects.filter(id__in=visible_wiki_ids(request.user)).only(
        "slug", "title"
    )
    form = SearchForm(request.GET or None, wikis=wikis.order_by("title"))
    context = {"form": form, "results": None, "query": ""}
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        page = form.cleaned_data.get("page") or 1
        context["query"] = query
        context["too_short"] = 0 < len(query) < MIN_QUERY_CHARS
        if len(query) >= MIN_QUERY_CHARS:
            results = search_submit(
                user=request.user,
                query=query,
                filters=form.filters(),
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                facets=True,
            )
            context.update(_paging(results, page))
            context["results"] = results
            context["has_filters"] = form.has_filters()
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "search/results.html", context, status=status)


def _paging(results, page: int) -> dict:
    # Past RANK_WINDOW matches only the best-ranked candidates can be paged through.
    pages = max(1, -(-min(results.total, RANK_WINDOW) // PAGE_SIZE))
    return {
        "page_number": page,
        "page_count": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "first_shown": results.offset + 1 if results.hits else 0,
        "last_shown": results.offset + len(results.hits),
    }
