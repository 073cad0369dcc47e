"""The dashboard page: figures, start guide, feed with filters, htmx partial."""

from __future__ import annotations

import re

import pytest

from deepwiki.web.dashboard import greeting_for

pytestmark = pytest.mark.django_db


def card_value(html: str, key: str) -> str:
    match = re.search(
        rf'data-stat="{key}">.*?<span class="stat-value" data-value="(\d+)"', html, re.S
    )
    assert match, f"no {key} card"
    return match.group(1)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_empty_instance_shows_zeros_and_a_start_guide(signed_in, user):
    html = signed_in(user).get("/dashboard").content.decode()
    for key in ("wikis", "files", "storage", "uploads"):
        assert card_value(html, key) == "0"
    assert 'data-stat="users"' not in html  # users card is for admins
    assert "Get started" in html
    assert "No activity yet" in html


def test_dashboard_shows_real_numbers_after_an_upload(signed_in, make_wiki, user):
    make_wiki(
        user,
        title="Runbook",
        files={"index.md": "# Runbook\n", "deploy.md": "# Deploy\n"},
    )
    html = signed_in(user).get("/dashboard").content.decode()
    assert card_value(html, "wikis") == "1"
    assert card_value(html, "files") == "2"
    assert card_value(html, "storage") == str(len("# Runbook\n") + len("# Deploy\n"))
    assert card_value(html, "uploads") == "1"
    assert "Get started" not in html
    assert "Runbook" in html  # in "Your wikis" and the feed
    assert "created" in html


def test_admin_sees_users_card_and_admin_shortcuts(signed_in, admin_user, user):
    html = signed_in(admin_user).get("/dashboard").content.decode()
    assert card_value(html, "users") == "2"
    assert "/admin/analytics" in html


def test_feed_is_escaped(signed_in, make_wiki, user):
    make_wiki(user, title="<img src=x onerror=alert(1)>")
    html = signed_in(user).get("/dashboard").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_htmx_feed_request_gets_only_the_feed(signed_in, make_wiki, user):
    make_wiki(user, title="Partial")
    client = signed_in(user)
    response = client.get(
        "/dashboard?type=created",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-feed",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "activity-list" in html and "Partial" in html
    assert "HX-Request" in response["Vary"]
    empty = client.get(
        "/dashboard?type=deleted",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="activity-feed",
    ).content.decode()
    assert "Nothing matches these filters" in empty


def test_feed_paginates_twenty_per_page(signed_in, admin_user):
    from deepwiki.activity.models import Activity
    from deepwiki.activity.services import activity_record

    for i in range(25):
        activity_record(
            actor=admin_user,
            action=Activity.Action.USER_REGISTERED,
            details={"email": f"u{i}@x.org"},
        )
    client = signed_in(admin_user)
    first = client.get("/dashboard").content.decode()
    assert first.count('class="activity-item"') == 20 and "Page 1 of 2" in first
    second = client.get("/dashboard?page=2").content.decode()
    assert second.count('class="activity-item"') == 5
    assert "u0@x.org" in second and "u24@x.org" in first


def test_invalid_filter_is_ignored_not_an_error(signed_in, user):
    response = signed_in(user).get("/dashboard?type=login_failed&wiki=nope&user=abc")
    assert response.status_code == 200


def test_recently_viewed_lists_readable_pages_only(
    signed_in, make_wiki, user, other_user
):
    from deepwiki.activity.services import pageview_record
    from deepwiki.wikis.models import Wiki

    shared = make_wiki(other_user, title="Shared")
    pageview_record(wiki=shared, path="index.md", user=user, title="Shared home")
    html = signed_in(user).get("/dashboard").content.decode()
    assert "Shared home" in html
    Wiki.objects.filter(pk=shared.pk).update(visibility="private")
    html = signed_in(user).get("/dashboard").content.decode()
    assert "Shared home" not in html


@pytest.mark.parametrize(
    "hour, words",
    [
        (5, "Good morning"),
        (11, "Good morning"),
        (12, "Good afternoon"),
        (18, "Good evening"),
        (2, "Good evening"),
    ],
)
def test_greeting_follows_the_time_of_day(hour, words):
    assert greeting_for(hour) == words


def test_htmx_script_is_served_locally(signed_in, user):
    html = signed_in(user).get("/dashboard").content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "https://" not in re.findall(r"<script[^>]*>", html).__str__()


def test_trend_wording_uses_real_numbers(signed_in, make_wiki, travel, user):
    from datetime import timedelta

    from django.utils import timezone

    old = make_wiki(user, title="Old")
    travel(old, when=timezone.now() - timedelta(days=9))
    make_wiki(user, title="New")
    html = signed_in(user).get("/dashboard").content.decode()
    assert "1 new in 7 days, 1 in the 7 before" in html  # wikis
    assert "vs 1 in the 7 days before" in html  # uploads, last 7 days
    assert "+1 (100%) since 7 days ago" in html  # files: 1 then, 2 now
