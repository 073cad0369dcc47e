"""The /search page and the navigation search box."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def wiki(user, make_wiki):
    files = {
        "index.md": "# Garden\n\nTomatoes `<b>grow</b>` & thrive.\n\n## Soil\n\ntomato soil\n"
    }
    files.update({f"p{i:02}.md": f"# Plot {i}\n\ntomato plot {i}\n" for i in range(30)})
    return make_wiki(user, files, title="Garden wiki", tags=["plants"])


def test_results_page_shows_count_links_and_escaped_marked_snippets(client, user, wiki):
    client.force_login(user)
    response = client.get("/search", {"q": "thrive"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 result for “thrive”" in html
    assert (
        f'href="/wikis/{wiki.slug}/"' in html
        or f'href="/wikis/{wiki.slug}/index.md"' in html
    )
    assert "Tomatoes &lt;b&gt;grow&lt;/b&gt; &amp; <mark>thrive</mark>" in html


def test_results_are_paginated_with_filters_kept(client, user, wiki):
    client.force_login(user)
    html = client.get("/search", {"q": "tomato", "tag": "plants"}).content.decode()
    assert "Page 1 of 2" in html
    assert "?q=tomato&amp;tag=plants&amp;page=2" in html
    second = client.get(
        "/search", {"q": "tomato", "tag": "plants", "page": 2}
    ).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_empty_query_shows_tips_and_no_result_shows_a_hint(client, user, wiki):
    client.force_login(user)
    assert "Search titles, headings" in client.get("/search").content.decode()
    html = client.get("/search", {"q": "zzzqqq"}).content.decode()
    assert "No results for “zzzqqq”" in html and "checking the spelling" in html
    assert "at least 2 characters" in client.get("/search", {"q": "z"}).content.decode()


def test_anonymous_visitors_get_a_sign_in_hint_and_no_internal_hits(client, wiki):
    html = client.get("/search", {"q": "tomatoes"}).content.decode()
    assert "No results" in html and "Sign in" in html
    assert "Garden wiki" not in html  # not even in the wiki filter's options


def test_invalid_dates_are_explained(client, user, wiki):
    client.force_login(user)
    response = client.get(
        "/search",
        {"q": "tomato", "updated_from": "2025-02-01", "updated_to": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "on or after" in response.content.decode()
    assert client.get("/search", {"q": "x", "updated_from": "soon"}).status_code == 400


def test_markup_in_the_query_is_shown_as_text(client, user, wiki):
    client.force_login(user)
    html = client.get(
        "/search", {"q": '<img src=x onerror="alert(1)">'}
    ).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_page_search_is_logged(client, user, wiki):
    from deepwiki.activity.models import SearchLog

    client.force_login(user)
    client.get("/search", {"q": "tomato"})
    client.get("/search", {"q": "tomato", "page": 2})
    assert list(SearchLog.objects.values_list("query", "results")) == [("tomato", 32)]


def test_navigation_has_a_labelled_search_combobox(client, user):
    client.force_login(user)
    html = client.get("/search").content.decode()
    assert '<form class="navsearch" role="search" action="/search"' in html
    assert (
        '<label class="visually-hidden" for="navsearch-input">Search wikis</label>'
        in html
    )
    assert 'role="combobox"' in html and 'aria-controls="navsearch-list"' in html
    assert "deepwiki/js/search.js" in html and "deepwiki/css/search.css" in html
